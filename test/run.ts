// Runs the compiled test files of the given layers (default: all) with node's test runner.
// node 20's `--test <dir>` would also run every helper module under a `test/` folder, so the
// `*.test.js` files are listed here and passed explicitly.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const layers = ['unit', 'emulator', 'integration', 'ui'];
const chosen = process.argv.slice(2);
for (const layer of chosen) {
  if (!layers.includes(layer)) {
    console.error(`unknown test layer "${layer}"; expected one of: ${layers.join(', ')}`);
    process.exit(2);
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const files = (chosen.length ? chosen : layers).flatMap((layer) => {
  try {
    return testFiles(join(__dirname, layer));
  } catch {
    return [];
  }
});
if (files.length === 0) {
  console.error('no test files found: run `npm run compile` first');
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  // The SDK warns once per process that releases after January 2027 need Node 22; the pinned
  // release in the lockfile runs on Node 20, which VS Code 1.100's runtime is.
  { stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);
process.exit(result.status ?? 1);
