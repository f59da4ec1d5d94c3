// `sagemaker-workbench prompt-test` (the bundled dist/workbench.js, as `npx` runs it) against the
// emulator's built-in GPT, trained for a few seconds on the demo corpus: a passing file exits 0, a
// failing one exits 1 with the failed assertion in the table and in JUnit XML, a broken file
// exits 2 with its problems on their lines, and an endpoint that does not exist fails its cases
// in the words the extension uses.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { XMLParser } from 'fast-xml-parser';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { deployTestEndpoint } from '../../harness/endpoints';
import { clientConfig, makeTempDir } from './helpers';

const REPO_ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'workbench.js');
const FIXTURES = path.join(REPO_ROOT, 'test', 'emulator', 'fixtures', 'prompts');

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

describe('sagemaker-workbench prompt-test', () => {
  const scratch = makeTempDir('prompt-test-cli');
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ dataDir: path.join(scratch.path, 'data'), runtime: { maxConcurrentJobs: 0 } });
    await deployTestEndpoint(emulator.url, 'tiny-gpt', 'trained-gpt');
    const sageMaker = new SageMakerClient(clientConfig(emulator.url));
    try {
      await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 2 }, { EndpointName: 'tiny-gpt' });
    } finally {
      sageMaker.destroy();
    }
  });

  after(async () => {
    await emulator?.close();
    scratch.remove();
  });

  it('exits 0 on a file whose cases all pass, printing a row per case', async () => {
    const run = await cli(['prompt-test', path.join(FIXTURES, 'passing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--emulator', emulator.url]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^PASS\s+continues a sentence\s+tiny-gpt\s+\d+ ms\s+24\s+4 assertions passed$/m);
    assert.match(run.stdout, /^PASS\s+stays within its token budget\s+tiny-gpt\s+\d+ ms\s+5\s+1 assertion passed$/m);
    assert.match(run.stdout, /\n2 of 2 passed\n$/);
  });

  it('exits 1 on a failing case, with the failed assertion in the table and in JUnit XML', async () => {
    const junit = path.join(scratch.path, 'results.xml');
    const run = await cli(['prompt-test', path.join(FIXTURES, 'failing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--emulator', emulator.url, '--junit', junit]);
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
    const run = await cli(['prompt-test', path.join(FIXTURES, 'passing.prompts.yaml'), '--endpoint', 'tiny-gpt', '--endpoint', 'no-such-endpoint', '--emulator', emulator.url]);
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
    const noEndpoint = await cli(['prompt-test', path.join(FIXTURES, 'passing.prompts.yaml'), '--emulator', emulator.url]);
    assert.equal(noEndpoint.code, 2);
    assert.match(noEndpoint.stderr, /No endpoint to run against: name one \(--endpoint NAME\)/);
  });
});
