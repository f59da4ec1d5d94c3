// `npm run bench:health`: how fast every view notices a dead local emulator, and a restarted one,
// in code-server's real extension host (see emulatorHealthHost.ts). The targets come from issue 13:
// death → every view shows it within one poll interval + 1 s; restart → back to normal within 2 s.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runExtensionTests } from '../harness/extensionTests';
import type { HealthRound } from './emulatorHealthHost';
import { median, runBenchmark } from './stats';

async function main(): Promise<void> {
  const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-health-')), 'result.json');
  const run = await runExtensionTests({
    suite: path.join(__dirname, 'emulatorHealthHost.js'),
    settings: { 'sagemaker.emulator.autoStart': false },
    env: { SAGEMAKER_BENCH_RESULTS: resultsFile },
    name: 'bench-health',
  });
  if (run.exitCode !== 0) throw new Error(`the health benchmark failed:\n${run.log}`);
  const { rounds, pollIntervalMs } = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rounds: HealthRound[]; pollIntervalMs: number };
  const down = rounds.map((round) => round.downMs);
  const up = rounds.map((round) => round.upMs);
  const downTarget = pollIntervalMs + 1000;
  const upTarget = 2000;
  const rows = [
    ['figure', 'median', 'worst', 'target (same run: the poll interval)', 'worst / target', 'ok?'],
    [`emulator killed → all 3 views show it (${rounds.length} rounds)`, ms(median(down)), ms(Math.max(...down)), `≤ ${ms(downTarget)} (poll ${ms(pollIntervalMs)} + 1 s)`, (Math.max(...down) / downTarget).toFixed(2), Math.max(...down) <= downTarget ? 'yes' : 'NO'],
    [`emulator listening again → all 3 views normal (${rounds.length} rounds)`, ms(median(up)), ms(Math.max(...up)), `≤ ${ms(upTarget)}`, (Math.max(...up) / upTarget).toFixed(2), Math.max(...up) <= upTarget ? 'yes' : 'NO'],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

runBenchmark(main);
