// `npm run bench:prompt-tests`: the `sagemaker-workbench prompt-test` CLI (the bundled
// dist/workbench.js, started as CI starts it) runs 100 cases against the built-in GPT endpoint with
// 4 in flight, against a plain SDK loop making the same 100 streamed calls with 4 in flight
// (InvokeEndpointWithResponseStream, each stream read to its end) — in alternating rounds of one
// run, on one emulator. The figure: the CLI's throughput ≥ 0.8 of the loop's. The CLI's time
// includes its own start (Node, the bundle, the file) since that is what CI pays; beside it, the
// runner's own time (the JUnit XML's testsuites time: from the first call to the last answer) and a
// bare `node -e 0` in the same round, to tell what is Node's own start from what is the CLI's.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { deployTestEndpoint } from '../harness/endpoints';
import { REPO_ROOT } from '../harness/paths';
import { median } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CASES = 100;
const IN_FLIGHT = 4;
const ROUNDS = 3;
const MAX_NEW_TOKENS = 16;
const CLI = path.join(REPO_ROOT, 'dist', 'workbench.js');
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const prompts = Array.from({ length: CASES }, (_, index) => `The cat number ${index}`);

function promptFile(): string {
  const cases = prompts.map((prompt, index) => `  - name: case ${index}\n    prompt: "${prompt}"\n    assert:\n      - max-tokens: ${MAX_NEW_TOKENS}\n`).join('');
  return `format: tgi\nconcurrency: ${IN_FLIGHT}\nparameters:\n  maxNewTokens: ${MAX_NEW_TOKENS}\ncases:\n${cases}`;
}

/** The CLI as CI runs it: its wall time, and its runner's own time as its JUnit XML reports it. */
function runCli(file: string, endpoint: string, url: string, junit: string): Promise<{ wallMs: number; runMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'prompt-test', file, '--endpoint', endpoint, '--emulator', url, '--junit', junit], { env: { PATH: process.env.PATH } }, (error, stdout, stderr) => {
      const wallMs = performance.now() - started;
      if (error) reject(new Error(`the CLI failed: ${error.message}\n${stdout}`));
      else if (!stdout.includes(`${CASES} of ${CASES} passed`)) reject(new Error(`not every case passed:\n${stdout}`));
      else if (stderr !== '') reject(new Error(`the CLI wrote to stderr: ${stderr}`));
      else {
        const seconds = /<testsuites [^>]*time="([\d.]+)"/.exec(readFileSync(junit, 'utf8'))?.[1];
        if (seconds === undefined) reject(new Error('the JUnit XML has no time'));
        else resolve({ wallMs, runMs: Number(seconds) * 1000 });
      }
    });
  });
}

/** A bare Node start and exit, the floor under any CLI's start. */
function bareNode(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => execFile(process.execPath, ['-e', '0'], (error) => (error ? reject(error) : resolve(performance.now() - started))));
}

/** The same calls as the CLI makes (its TGI body for greedy decoding), 4 at a time, each stream read to its end. */
async function sdkLoop(runtime: SageMakerRuntimeClient, endpoint: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < prompts.length) {
      const prompt = prompts[next++];
      const body = { inputs: prompt, parameters: { max_new_tokens: MAX_NEW_TOKENS, details: true }, stream: true };
      const response = await runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: endpoint, Body: new TextEncoder().encode(JSON.stringify(body)), ContentType: 'application/json' }));
      for await (const part of response.Body ?? []) void part;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - started;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-prompt-tests-'));
  const emulator = await startEmulatorProcess();
  const endpoint = 'bench-prompt-tests';
  const runtime = new SageMakerRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
  try {
    await deployTestEndpoint(emulator.url, endpoint, 'random-gpt');
    const sageMaker = new SageMakerClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
    await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 2 }, { EndpointName: endpoint });
    sageMaker.destroy();
    const file = path.join(scratch, 'bench.prompts.yaml');
    writeFileSync(file, promptFile());
    await sdkLoop(runtime, endpoint); // warm-up: the model server's first passes, the client's connections
    const junit = path.join(scratch, 'results.xml');
    const cli: number[] = [];
    const runner: number[] = [];
    const node: number[] = [];
    const sdk: number[] = [];
    const cliRound = async () => {
      const { wallMs, runMs } = await runCli(file, endpoint, emulator.url, junit);
      cli.push(wallMs);
      runner.push(runMs);
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating which goes first, so a drift in the machine's load falls on both.
      if (round % 2 === 0) {
        await cliRound();
        sdk.push(await sdkLoop(runtime, endpoint));
      } else {
        sdk.push(await sdkLoop(runtime, endpoint));
        await cliRound();
      }
      node.push(await bareNode());
    }
    const throughput = (ms: number) => (CASES * 1000) / ms;
    const rows = [
      ['', 'median ms', 'cases/s', 'rounds (ms)'],
      ['plain SDK loop', median(sdk).toFixed(0), throughput(median(sdk)).toFixed(1), sdk.map((ms) => ms.toFixed(0)).join(' ')],
      ['prompt-test CLI, start to exit', median(cli).toFixed(0), throughput(median(cli)).toFixed(1), cli.map((ms) => ms.toFixed(0)).join(' ')],
      ['prompt-test CLI, its runner', median(runner).toFixed(0), throughput(median(runner)).toFixed(1), runner.map((ms) => ms.toFixed(0)).join(' ')],
      ['node -e 0 (bare Node start)', median(node).toFixed(0), '', node.map((ms) => ms.toFixed(0)).join(' ')],
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    console.log(`prompt tests: ${CASES} cases, ${IN_FLIGHT} in flight, ${MAX_NEW_TOKENS} tokens each, built-in GPT (random weights), ${ROUNDS} alternating rounds\n`);
    for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    const ratio = median(sdk) / median(cli);
    const perRound = cli.map((ms, index) => (sdk[index] / ms).toFixed(2)).join(' ');
    console.log(`\nCLI throughput (start to exit) / SDK loop throughput: ${ratio.toFixed(2)} (target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'}); per round: ${perRound}`);
    console.log(`its runner alone / SDK loop: ${(median(sdk) / median(runner)).toFixed(2)}; the CLI's start and exit beyond the runner: ${(median(cli) - median(runner)).toFixed(0)} ms, of which a bare Node start is ${median(node).toFixed(0)} ms`);
  } finally {
    runtime.destroy();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
