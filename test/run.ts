// Runs the compiled test files of the given layers (default: all) with node's test runner.
// node 20's `--test <dir>` would also run every helper module under a `test/` folder, so the
// `*.test.js` files are listed here and passed explicitly.
//
// Files run one at a time by default. SAGEMAKER_TEST_LANES=2 runs the editor lane (extension host, UI)
// beside the process lane (unit, emulator): most of their time is spent waiting on processes and
// browsers, so on a quiet machine together they take about three quarters of the time. Their jobs
// share this machine's network without meeting (each job's hosts have loopback addresses of their own
// and a MASTER_PORT no other job on the machine holds: emulator/runtime/hosts/rendezvousPorts.ts), but
// the two lanes load two cores twice over, and on a loaded machine a UI test's clicks and a crash test's
// writes then miss their bounds; CI runs the files one after the other.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const layers = ['unit', 'emulator', 'integration', 'ui'] as const;
type Layer = (typeof layers)[number];
const isLayer = (name: string): name is Layer => (layers as readonly string[]).includes(name);

const chosen = process.argv.slice(2);
for (const layer of chosen) {
  if (!isLayer(layer)) {
    console.error(`unknown test layer "${layer}"; expected one of: ${layers.join(', ')}`);
    process.exit(2);
  }
}

function testFiles(layer: Layer): string[] {
  try {
    return readdirSync(join(__dirname, layer), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
      .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
      .sort();
  } catch {
    return [];
  }
}

interface Lane {
  name: string;
  files: string[];
}

function lanes(): Lane[] {
  const of = (names: readonly Layer[]) => names.flatMap(testFiles);
  if (chosen.length) return [{ name: chosen.join(' + '), files: of(chosen.filter(isLayer)) }];
  if (process.env.SAGEMAKER_TEST_LANES !== '2') return [{ name: 'all layers', files: of(layers) }];
  return [
    { name: 'extension host + UI', files: of(['integration', 'ui']) },
    { name: 'unit + emulator', files: of(['unit', 'emulator']) },
  ];
}

/** Runs one lane; the first lane writes as it goes, the others are held and printed whole when done. */
function run(lane: Lane, live: boolean): Promise<{ lane: Lane; status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-reporter=spec', '--test-concurrency=1', ...lane.files],
      {
        stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
        // The SDK warns once per process that releases after January 2027 need Node 22; the pinned
        // release in the lockfile runs on Node 20, which VS Code 1.100's runtime is.
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code, signal) =>
      resolve({ lane, status: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString() }),
    );
  });
}

async function main(): Promise<number> {
  const planned = lanes().filter((lane) => lane.files.length > 0);
  if (planned.length === 0) {
    console.error('no test files found: run `npm run compile` first');
    return 2;
  }
  if (planned.length > 1) {
    console.log(`running ${planned.map((lane) => `${lane.name} (${lane.files.length} files)`).join(' alongside ')};`);
    console.log(`the ${planned.slice(1).map((lane) => lane.name).join(', ')} lane's report follows the first lane's.\n`);
  }
  const results = await Promise.all(planned.map((lane, index) => run(lane, index === 0)));
  for (const result of results.slice(1)) {
    console.log(`\n── ${result.lane.name} ${'─'.repeat(60)}\n`);
    process.stdout.write(result.output);
  }
  const failed = results.filter((result) => result.status !== 0);
  if (planned.length > 1) {
    console.log(`\n${results.map((r) => `${r.lane.name}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`}`).join('\n')}`);
  }
  return failed.length ? 1 : 0;
}

main().then((status) => process.exit(status));
