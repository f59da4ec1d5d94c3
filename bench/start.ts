// `npm run bench:start`: how long `npm start` takes, on a built checkout, from launch to the VS Code
// URL answering, against a bare code-server start measured in the same run (target: within 2×).
// `npm start` = node out/harness/start.js (emulator, demo seeding, the extension installed into a
// fresh code-server); bare = code-server alone with no extension, through the same harness. Rounds
// alternate so load on the machine falls on both alike; each round starts from fresh folders (a
// first run) on free ports, and stops everything before the next.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startCodeServer } from '../harness/codeServer';
import { REPO_ROOT, VSIX_PATH } from '../harness/paths';
import { freePort, spawnGroup, stopGroup, waitForHttp, waitForOutput } from '../harness/processes';
import { median } from './stats';

const START_SCRIPT = path.join(REPO_ROOT, 'out', 'harness', 'start.js');
/** Far above either start on a loaded machine; a start that takes longer fails the benchmark. */
const START_BOUND_MS = 300_000;

/**
 * Milliseconds from spawning `node out/harness/start.js` to the VS Code URL it prints answering (it
 * prints the URL once code-server is up; the URL is then fetched, as a user's browser would).
 */
async function timeNpmStart(): Promise<number> {
  const state = mkdtempSync(path.join(tmpdir(), 'bench-start-'));
  const [port, emulatorPort] = [await freePort(), await freePort()];
  const began = performance.now();
  const child: ChildProcess = spawnGroup(process.execPath, [START_SCRIPT], {
    // A state folder that does not exist yet, as in a fresh clone (the start makes it).
    env: { ...process.env, PORT: String(port), EMULATOR_PORT: String(emulatorPort), WORKBENCH_STATE_DIR: path.join(state, '.workbench') },
  });
  try {
    const [, url] = await waitForOutput(child, /VS Code:\s+(http\S+)/, START_BOUND_MS, 'npm start (node out/harness/start.js)');
    await waitForHttp(url, START_BOUND_MS);
    return performance.now() - began;
  } finally {
    await stopGroup(child, 15_000);
    rmSync(state, { recursive: true, force: true });
  }
}

/** Milliseconds from launching a bare code-server (no extension) to its URL answering. */
async function timeBareCodeServer(): Promise<number> {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-start-bare-'));
  const began = performance.now();
  const codeServer = await startCodeServer({ settings: {}, root, port: await freePort() });
  const elapsed = performance.now() - began;
  await codeServer.stop();
  rmSync(root, { recursive: true, force: true });
  return elapsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1, not "${values.rounds}"`);
  for (const [file, build] of [
    [START_SCRIPT, 'npm run compile (or tsc -p harness)'],
    [VSIX_PATH, 'npm run package'],
  ]) {
    if (!existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`${build}\` first (the benchmark times a built checkout)`);
  }
  const rows: { npmStart: number; bare: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so neither always meets a machine the other just warmed.
    const npmFirst = round % 2 === 1;
    const first = npmFirst ? await timeNpmStart() : await timeBareCodeServer();
    const second = npmFirst ? await timeBareCodeServer() : await timeNpmStart();
    const row = npmFirst ? { npmStart: first, bare: second } : { npmStart: second, bare: first };
    rows.push(row);
    console.log(`round ${round}: npm start ${(row.npmStart / 1000).toFixed(1)} s, bare code-server ${(row.bare / 1000).toFixed(1)} s`);
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log('\n| round | npm start → URL | bare code-server → URL | ratio |');
  console.log('|---|---|---|---|');
  rows.forEach((row, index) => console.log(`| ${index + 1} | ${seconds(row.npmStart)} | ${seconds(row.bare)} | ${(row.npmStart / row.bare).toFixed(2)}× |`));
  const ratio = median(rows.map((row) => row.npmStart / row.bare));
  console.log(`| median | ${seconds(median(rows.map((row) => row.npmStart)))} | ${seconds(median(rows.map((row) => row.bare)))} | ${ratio.toFixed(2)}× |`);
  console.log(`\nnpm start reaches its URL within ${ratio.toFixed(2)}× of a bare code-server (target ≤ 2×): ${ratio <= 2 ? 'met' : 'NOT met'}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:start failed: ${error.message}`);
    process.exit(1);
  },
);
