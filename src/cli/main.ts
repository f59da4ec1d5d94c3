// The `sagemaker-workbench` command shipped in the extension's package (bundled into
// dist/workbench.js): today one subcommand, prompt-test, for CI on a new model version.
import { redact } from '../aws/errors';
import { PROMPT_TEST_USAGE, promptTestCommand } from './promptTest';

const USAGE = `usage: sagemaker-workbench <command> [options]

commands:
  prompt-test FILE   run the prompt tests of a *.prompts.yaml file (prompt-test --help for its options)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const output = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
  if (command === 'prompt-test') {
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
