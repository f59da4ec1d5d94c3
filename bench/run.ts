// `npm run bench`: each figure is measured side by side with a baseline in the same run and
// reported as a ratio, because these machines are noisy. Budgets come from the issues.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runExtensionTests } from '../harness/extensionTests';
import { EMULATOR_BUNDLE, REPO_ROOT } from '../harness/paths';
import { median } from './stats';

interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number;
  budget: string;
  pass: boolean;
}

const rows: Row[] = [];


/** Milliseconds from spawning `args` to the first stdout line containing `ready`. */
function timeToReady(args: string[], ready: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(ready)) {
        const elapsed = performance.now() - started;
        child.kill('SIGKILL');
        resolve(elapsed);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before "${ready}"`)));
  });
}

function bundleSize(): void {
  const dist = path.join(REPO_ROOT, 'dist');
  const bytes = readdirSync(dist)
    .filter((file) => /^extension(\.\d+)?\.js$/.test(file))
    .reduce((total, file) => total + statSync(path.join(dist, file)).size, 0);
  const budget = 700 * 1024;
  rows.push({
    figure: 'extension bundle (minified, AWS SDK clients inside)',
    measured: `${(bytes / 1024).toFixed(0)} KB`,
    baseline: 'budget 700 KB',
    ratio: bytes / budget,
    budget: '≤ 1.00 of budget',
    pass: bytes <= budget,
  });
}

async function emulatorColdStart(): Promise<void> {
  const rawServer = "require('node:http').createServer((q,s)=>s.end()).listen(0,'127.0.0.1',()=>console.log('listening'))";
  const emulatorTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let round = 0; round < 7; round++) {
    // Interleaved so that both see the same machine load.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-emulator-'));
    emulatorTimes.push(await timeToReady([EMULATOR_BUNDLE, '--port', '0', '--data-dir', dataDir], 'listening on'));
    rawTimes.push(await timeToReady(['-e', rawServer], 'listening'));
  }
  const emulatorMs = median(emulatorTimes);
  const rawMs = median(rawTimes);
  rows.push({
    figure: 'emulator cold start: process start → listening',
    measured: `${emulatorMs.toFixed(0)} ms`,
    baseline: `raw node:http ${rawMs.toFixed(0)} ms`,
    ratio: emulatorMs / rawMs,
    budget: '≤ 500 ms absolute',
    pass: emulatorMs <= 500,
  });
}

async function activation(): Promise<void> {
  const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-activation-')), 'result.json');
  const run = await runExtensionTests({
    suite: path.join(__dirname, 'activation.js'),
    settings: { 'sagemaker.emulator.autoStart': false },
    env: { SAGEMAKER_BENCH_RESULTS: resultsFile },
    name: 'bench-activation',
    extraExtensions: [path.join(REPO_ROOT, 'bench', 'fixtures', 'empty-extension')],
  });
  if (run.exitCode !== 0) {
    throw new Error(`activation benchmark failed:\n${run.log}`);
  }
  const { activationMs, baselineMs } = JSON.parse(readFileSync(resultsFile, 'utf8')) as { activationMs: number; baselineMs: number };
  rows.push({
    figure: 'activate() in the extension host (code-server)',
    measured: `${activationMs.toFixed(1)} ms`,
    baseline: `empty extension ${baselineMs.toFixed(1)} ms`,
    ratio: activationMs / baselineMs,
    // The host spends about as long activating an extension that does nothing; what this
    // extension controls is the time it adds on top of that.
    budget: '≤ 50 ms over the empty one',
    pass: activationMs - baselineMs <= 50,
  });
}

function printTable(): void {
  const header: Row = { figure: 'figure', measured: 'measured', baseline: 'baseline (same run)', ratio: NaN, budget: 'target', pass: true };
  const cells = [header, ...rows].map((row) => [
    row.figure,
    row.measured,
    row.baseline,
    Number.isNaN(row.ratio) ? 'ratio' : row.ratio.toFixed(2),
    row.budget,
    row === header ? 'ok?' : row.pass ? 'yes' : 'NO',
  ]);
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  for (const [index, row] of cells.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

async function main(): Promise<void> {
  bundleSize();
  await emulatorColdStart();
  await activation();
  printTable();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
