// The `sagemaker-workbench` command shipped in the extension's package (bundled into
// dist/workbench.js): today one subcommand, prompt-test, for CI on a new model version. A CI job
// pays this process's start on every run, so the command's modules (the SDK, the parser) are
// evaluated only once a command is chosen.
import { redact } from '../aws/errors';

// The bundled SDK is the release this package pins, which runs on Node 20; its notice that later
// releases will need Node 22 is about upgrading the SDK, which a user of this command cannot do.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: sagemaker-workbench <command> [options]

commands:
  prompt-test FILE   run the prompt tests of a *.prompts.yaml file (prompt-test --help for its options)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const output = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
  if (command === 'prompt-test') {
    const { PROMPT_TEST_USAGE, promptTestCommand } = await import('./promptTest');
    if (rest.includes('--help') || rest.includes('-h')) {
      output.out(`${PROMPT_TEST_USAGE}\n`);
      return 0;
    }
    return promptTestCommand(rest, output);
  }
  if (command === '--help' || command === '-h') {
    output.out(`${USAGE}\n`);
    return 0;
  }
  output.err(`${command === undefined ? 'name a command' : `unknown command "${command}"`}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sagemaker-workbench: ${redact(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 2;
  },
);
