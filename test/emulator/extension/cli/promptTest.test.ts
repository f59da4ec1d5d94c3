// `sagemaker-workbench prompt-test` (the bundled dist/workbench.js, as `npx` runs it) against the
// emulator's built-in GPT, trained for a few seconds on the demo corpus: a passing file exits 0, a
// failing one exits 1 with the failed assertion in the table and in JUnit XML, a broken file
// exits 2 with its problems on their lines, and an endpoint that does not exist fails its cases
// in the words the extension uses. And files in the other SageMaker LLM formats, against the
// emulator's echo model servers (format-echo): LMI/DJL, a JumpStart chat model (refused until the
// file accepts its EULA) and a custom JSON template, each streamed and answered whole; a file that
// names no format runs in what the chat's probe finds.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { XMLParser } from 'fast-xml-parser';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { deployEchoEndpoint, deployTestEndpoint } from '../../../../harness/endpoints';
import { REPO_ROOT } from '../../../../harness/paths';
import { FIXTURES } from '../../runtimeTestHelpers';
import { clientConfig, makeTempDir } from '../../../../harness/emulatorClients';

const CLI = path.join(REPO_ROOT, 'dist', 'workbench.js');
const PROMPT_FILES = path.join(FIXTURES, 'prompts');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a separate process: the emulator runs in this one, so the call must not block it. Its
 * environment is a CI job's: nothing set to quiet the SDK, so stderr shows whatever a user would see.
 */
function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 120_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const ECHO_FORMATS = ['lmi', 'jumpstart', 'custom'] as const;

/** A fixture, or a copy of it changed by `edit` (in `dir`), as a user's file. */
function fixture(name: string, dir: string, edit?: (text: string) => string): string {
  const source = path.join(PROMPT_FILES, name);
  if (!edit) return source;
  const copy = path.join(dir, `${path.basename(name, '.prompts.yaml')}-${Math.random().toString(36).slice(2, 8)}.prompts.yaml`);
  writeFileSync(copy, edit(readFileSync(source, 'utf8')));
  return copy;
}

describe('sagemaker-workbench prompt-test', () => {
  const scratch = makeTempDir('prompt-test-cli');
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ dataDir: path.join(scratch.path, 'data'), runtime: { maxConcurrentJobs: 0 } });
    const tinyGpt = async () => {
      await deployTestEndpoint(emulator.url, 'tiny-gpt', 'trained-gpt');
      const sageMaker = new SageMakerClient(clientConfig(emulator.url));
      try {
        await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 2 }, { EndpointName: 'tiny-gpt' });
      } finally {
        sageMaker.destroy();
      }
    };
    // The echo endpoints start while the GPT trains: they add next to nothing to the suite's time.
    await Promise.all([tinyGpt(), ...ECHO_FORMATS.map((format) => deployEchoEndpoint(emulator.url, `echo-${format}`, format, { timeoutMs: 60_000 }))]);
  });

  after(async () => {
    await emulator?.close();
    scratch.remove();
  });

  it('exits 0 on a file whose cases all pass, printing a row per case', async () => {
    const run = await cli(['prompt-test', path.join(PROMPT_FILES, 'passing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--emulator', emulator.url]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^PASS\s+continues a sentence\s+tiny-gpt\s+\d+ ms\s+24\s+4 assertions passed$/m);
    assert.match(run.stdout, /^PASS\s+stays within its token budget\s+tiny-gpt\s+\d+ ms\s+5\s+1 assertion passed$/m);
    assert.match(run.stdout, /\n2 of 2 passed\n$/);
  });

  it('exits 1 on a failing case, with the failed assertion in the table and in JUnit XML', async () => {
    const junit = path.join(scratch.path, 'results.xml');
    const run = await cli(['prompt-test', path.join(PROMPT_FILES, 'failing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--emulator', emulator.url, '--junit', junit]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^PASS\s+continues a sentence\s+tiny-gpt/m);
    assert.match(run.stdout, /^FAIL\s+explains physics\s+tiny-gpt\s.*contains "gluon" — failed: the answer was "/m);
    assert.match(run.stdout, /\n1 of 2 passed, 1 failed\n/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(junit, 'utf8')) as {
      testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; failure?: { message: string; '#text': string }; 'system-out'?: string }[] } };
    };
    assert.equal(xml.testsuites.tests, '2');
    assert.equal(xml.testsuites.failures, '1');
    assert.equal(xml.testsuites.testsuite.name, 'failing.prompts.yaml');
    const [passed, failed] = xml.testsuites.testsuite.testcase;
    assert.equal(passed.failure, undefined);
    assert.equal(failed.name, 'explains physics');
    assert.match(failed.failure!.message, /^contains "gluon" — failed/);
    assert.match(failed.failure!['#text'], /is similar to "quarks are bound by gluons of the strong force" \(jaccard ≥ 0\.5\) — failed: its jaccard similarity was 0\.\d{3}/);
    assert.ok(typeof failed['system-out'] === 'string' && failed['system-out'].length > 0, 'the answer is in system-out');
  });

  it('fails the cases of an endpoint that does not exist, saying so, and goes on with the other endpoint', async () => {
    const run = await cli(['prompt-test', path.join(PROMPT_FILES, 'passing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--endpoint', 'no-such-endpoint', '--emulator', emulator.url]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /^PASS\s+continues a sentence\s+tiny-gpt\s+\d+ ms\s+24\s+4 assertions passed$/m);
    assert.match(run.stdout, /^FAIL\s+continues a sentence\s+no-such-endpoint\s+—\s+—\s+Endpoint no-such-endpoint is not available: /m);
    assert.match(run.stdout, /\n2 of 4 passed, 2 failed\n/);
  });

  it('exits 2 on a file with problems, each on its line, and on a bad command line, without calling anything', async () => {
    const broken = path.join(scratch.path, 'broken.prompts.yaml');
    writeFileSync(broken, 'cases:\n  - name: a\n    prompt: "{{nope}}"\n    assert:\n      - containz: x\n');
    const run = await cli(['prompt-test', broken, '--endpoint', 'tiny-gpt', '--emulator', emulator.url]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `${broken}:5:9: Unknown key "containz" in assertion 1 of case 1.\n`);
    const unknownVariable = path.join(scratch.path, 'variable.prompts.yaml');
    writeFileSync(unknownVariable, 'cases:\n  - name: a\n    prompt: "{{nope}}"\n');
    assert.match((await cli(['prompt-test', unknownVariable, '--endpoint', 'tiny-gpt', '--emulator', emulator.url])).stderr, /variable\.prompts\.yaml:3:13: Unknown variable \{\{nope\}\}/);
    for (const args of [[], ['a', 'b'], [broken, '--profile', 'p', '--emulator', emulator.url], [broken, '--emulator', 'not a url'], [broken, '--concurrency', '0'], [broken, '--nope']]) {
      const usage = await cli(['prompt-test', ...args]);
      assert.equal(usage.code, 2, args.join(' '));
      assert.match(usage.stderr, /usage: sagemaker-workbench prompt-test FILE/, args.join(' '));
    }
    const badTemplate = path.join(scratch.path, 'template.prompts.yaml');
    writeFileSync(badTemplate, 'format: custom\ntemplate:\n  request: \'{"prompt": "hi"}\'\n  answerPath: $.output.text\ncases:\n  - name: a\n    prompt: hi\n');
    const template = await cli(['prompt-test', badTemplate, '--endpoint', 'echo-custom', '--emulator', emulator.url]);
    assert.equal(template.code, 2);
    assert.equal(template.stderr, `${badTemplate}:3:12: The request template needs {{prompt}} or {{messages}} where the prompt goes.\n`);
    const noEndpoint = await cli(['prompt-test', path.join(PROMPT_FILES, 'passing.prompts.yaml'), '--emulator', emulator.url]);
    assert.equal(noEndpoint.code, 2);
    assert.match(noEndpoint.stderr, /No endpoint to run against: name one \(--endpoint NAME\)/);
  });

  it('runs LMI/DJL, JumpStart and custom-template files, streamed and answered whole, through the chat\'s codec', async () => {
    const runs = await Promise.all(
      ECHO_FORMATS.flatMap((format) =>
        [true, false].map(async (stream) => {
          const file = fixture(`${format}.prompts.yaml`, scratch.path, stream ? undefined : (text) => `stream: false\n${text}`);
          return { format, stream, run: await cli(['prompt-test', file, '--endpoint', `echo-${format}`, '--emulator', emulator.url]) };
        }),
      ),
    );
    for (const { format, stream, run } of runs) {
      const label = `${format}, ${stream ? 'streamed' : 'whole'}\n${run.stdout}\n${run.stderr}`;
      assert.equal(run.code, 0, label);
      assert.equal(run.stderr, '', label);
      const cases = { lmi: 3, jumpstart: 1, custom: 1 }[format];
      assert.match(run.stdout, new RegExp(`\n${cases} of ${cases} passed\n$`), label);
    }
    const row = (format: string, stream: boolean) => runs.find((run) => run.format === format && run.stream === stream)!.run.stdout;
    // Tokens: counted as they stream (a word a token); a whole answer without usage or details has no count.
    assert.match(row('lmi', true), /^PASS\s+answers the prompt\s+echo-lmi\s+\d+ ms\s+4\s+1 assertion passed$/m);
    assert.match(row('lmi', false), /^PASS\s+answers the prompt\s+echo-lmi\s+\d+ ms\s+—\s+1 assertion passed$/m);
    assert.match(row('custom', true), /^PASS\s+answers within max_length\s+echo-custom\s+\d+ ms\s+3\s+1 assertion passed$/m);
    // A JumpStart Llama 2 chat model answers whole even through the streaming call, a generation without a count.
    assert.match(row('jumpstart', true), /^PASS\s+answers the last turn of a conversation\s+echo-jumpstart\s+\d+ ms\s+—\s+1 assertion passed$/m);
    assert.match(row('jumpstart', false), /^PASS\s+answers the last turn of a conversation\s+echo-jumpstart\s+\d+ ms\s+—\s+1 assertion passed$/m);
  });

  it('runs a file that names no format in each endpoint\'s own, found by the chat\'s probe, and fails the cases of one that answers none, saying to set format', async () => {
    const file = fixture('lmi.prompts.yaml', scratch.path, (text) => text.replace(/^format: lmi\n/m, ''));
    assert.doesNotMatch(readFileSync(file, 'utf8'), /^format:/m);
    const run = await cli(['prompt-test', file, '--endpoint', 'echo-lmi', '--endpoint', 'echo-custom', '--case', 'answers the prompt', '--emulator', emulator.url]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    // The probe found LMI/DJL: the call was streamed in it (4 tokens, a word each).
    assert.match(run.stdout, /^PASS\s+answers the prompt\s+echo-lmi\s+\d+ ms\s+4\s+1 assertion passed$/m);
    assert.match(run.stdout, /^FAIL\s+answers the prompt\s+echo-custom\s+—\s+—\s+No format to call echo-custom in: echo-custom answered none of the known formats: set format/m); // the table cuts the rest
  });

  it('fails a JumpStart file that does not accept the EULA, saying to add acceptEula: true (streamed and whole), and a file in a format the endpoint refuses, saying to set format', async () => {
    const junit = path.join(scratch.path, 'eula.xml');
    const refused = fixture('jumpstart.prompts.yaml', scratch.path, (text) => text.replace(/^acceptEula: true\n/m, ''));
    const whole = fixture('jumpstart.prompts.yaml', scratch.path, (text) => `stream: false\n${text.replace(/^acceptEula: true\n/m, '')}`);
    assert.doesNotMatch(readFileSync(refused, 'utf8'), /acceptEula/);
    const wrongFormatJunit = path.join(scratch.path, 'wrong-format.xml');
    const [streamed, answeredWhole, wrongFormat] = await Promise.all([
      cli(['prompt-test', refused, '--endpoint', 'echo-jumpstart', '--emulator', emulator.url, '--junit', junit]),
      cli(['prompt-test', whole, '--endpoint', 'echo-jumpstart', '--emulator', emulator.url]),
      // An LMI file against the custom-shaped endpoint: refused, and the next step is the file's format key.
      cli(['prompt-test', fixture('lmi.prompts.yaml', scratch.path), '--endpoint', 'echo-custom', '--case', 'answers the prompt', '--emulator', emulator.url, '--junit', wrongFormatJunit]),
    ]);
    for (const run of [streamed, answeredWhole]) {
      assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /^FAIL\s+answers the last turn of a conversation\s+echo-jumpstart\s+—\s+—\s+The model needs its licence \(EULA\) accepted: add "acceptEula: true" to the file/m);
      assert.match(run.stdout, /\n0 of 1 passed, 1 failed\n/);
    }
    const errorOf = (file: string) =>
      (new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(file, 'utf8')) as { testsuites: { testsuite: { testcase: { error?: { message: string; '#text': string } } } } }).testsuites.testsuite.testcase.error!;
    assert.match(errorOf(junit).message, /add "acceptEula: true" to the file once you have read the model's EULA .*The model server said: Need to pass custom_attributes='accept_eula=true'/);
    assert.equal(wrongFormat.code, 1, `${wrongFormat.stdout}\n${wrongFormat.stderr}`);
    assert.match(wrongFormat.stdout, /^FAIL\s+answers the prompt\s+echo-custom\s+—\s+—\s+The model server answered 400: prompt must be a string$/m);
    assert.match(errorOf(wrongFormatJunit)['#text'], /^The request was sent in the LMI\/DJL format; the endpoint may expect another: set format: in the file/);
  });
});
