// `npm run bench:prompt-tests`: the `sagemaker-workbench prompt-test` CLI (the bundled
// dist/workbench.js, started as CI starts it) runs 100 cases against the built-in GPT endpoint with
// 4 in flight, against a plain SDK loop making the same 100 streamed calls with 4 in flight
// (InvokeEndpointWithResponseStream, each stream read to its end; fixtures/sdkLoop.ts) — in
// alternating rounds of one run, on one emulator. The figure: the CLI's throughput ≥ 0.8 of
// "a plain SDK loop doing the same calls". The CLI's time includes its own start (Node, the bundle,
// the file) since that is what CI pays; the plain loop a user compares it with is likewise a script
// they run (`node loop.js`), so the ratio is against the loop as a process of its own, its
// start (Node, the SDK's load) and exit included. Printed beside it, as before: the ratio against the
// loop run inside this bench's process (no start, the SDK already loaded), the CLI runner's own time
// (the JUnit XML's testsuites time: from the first call to the last answer) and a bare `node -e 0`.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { deployTestEndpoint } from '../harness/endpoints';
import { REPO_ROOT } from '../harness/paths';
import { CASES, IN_FLIGHT, LOOP_CREDENTIALS, MAX_NEW_TOKENS, prompts, sdkLoop } from './fixtures/sdkLoop';
import { median } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = 3;
const CLI = path.join(REPO_ROOT, 'dist', 'workbench.js');
const LOOP_SCRIPT = path.join(__dirname, 'fixtures', 'sdkLoop.js');
const credentials = LOOP_CREDENTIALS;

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

/** The plain SDK loop as a user runs it: `node loop.js`, start to exit. */
function loopProcess(url: string, endpoint: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [LOOP_SCRIPT, url, endpoint], { env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`the loop script failed: ${error.message}\n${stderr}`));
      else if (stderr !== '') reject(new Error(`the loop script wrote to stderr: ${stderr}`));
      else resolve(performance.now() - started);
    }),
  );
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
    const loop: number[] = [];
    const cliRound = async () => {
      const { wallMs, runMs } = await runCli(file, endpoint, emulator.url, junit);
      cli.push(wallMs);
      runner.push(runMs);
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Rotating which goes first, so a drift in the machine's load falls on each.
      const steps = [cliRound, async () => void loop.push(await loopProcess(emulator.url, endpoint)), async () => void sdk.push(await sdkLoop(runtime, endpoint))];
      for (let step = 0; step < steps.length; step++) await steps[(step + round) % steps.length]();
      node.push(await bareNode());
    }
    const throughput = (ms: number) => (CASES * 1000) / ms;
    const row = (label: string, runs: number[]) => [label, median(runs).toFixed(0), throughput(median(runs)).toFixed(1), runs.map((ms) => ms.toFixed(0)).join(' ')];
    const rows = [
      ['', 'median ms', 'cases/s', 'rounds (ms)'],
      row('plain SDK loop, `node loop.js` start to exit', loop),
      row('plain SDK loop, in this process', sdk),
      row('prompt-test CLI, start to exit', cli),
      row('prompt-test CLI, its runner', runner),
      ['node -e 0 (bare Node start)', median(node).toFixed(0), '', node.map((ms) => ms.toFixed(0)).join(' ')],
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
    console.log(`prompt tests: ${CASES} cases, ${IN_FLIGHT} in flight, ${MAX_NEW_TOKENS} tokens each, built-in GPT (random weights), ${ROUNDS} rotating rounds\n`);
    for (const cells of rows) console.log(cells.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    const ratio = median(loop) / median(cli);
    const perRound = (baseline: number[]) => cli.map((ms, index) => (baseline[index] / ms).toFixed(2)).join(' ');
    console.log(`\nCLI / plain SDK loop, each a process start to exit (the issue's figure): ${ratio.toFixed(2)} (target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'}); per round: ${perRound(loop)}`);
    console.log(`CLI start to exit / the loop inside this process (no start, SDK loaded): ${(median(sdk) / median(cli)).toFixed(2)}; per round: ${perRound(sdk)}`);
    console.log(`its runner alone / the in-process loop: ${(median(sdk) / median(runner)).toFixed(2)}; the CLI's start and exit beyond the runner: ${(median(cli) - median(runner)).toFixed(0)} ms; the loop script's beyond its calls: ${(median(loop) - median(sdk)).toFixed(0)} ms; a bare Node start: ${median(node).toFixed(0)} ms`);
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
