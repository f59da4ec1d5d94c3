// `npm run test:mutation [-- --full] [-- --module auth,paging]`: StrykerJS over the modules of
// modules.mjs, one module at a time, each with only its own tests. Incremental by default: the
// results of the last run (test/mutation/incremental/<module>.json, committed) are reused for every
// mutant whose code and covering tests did not change, so only mutants a change touches run again.
// `--full` runs every mutant. Prints the mutation score per module (and how long each run took).
// `--mutate 'emulator/auth/signatureV4.ts:95-160'` narrows one module's run to those globs (Stryker's
// file:lines ranges allowed), for a sample of a module too slow to run whole; such a run keeps its
// results in <module>.sample.json, so the module's own incremental file stays that of a whole run.
// Each narrowed run's results are also merged into <module>.parts.json (a mutant's newest result
// replaces its older one), so a module too slow for one sitting is run in full part by part, and
// the score printed beside the run's is that of all its parts so far.
//
// Why this set-up: the tests are compiled by tsc and run by node's test runner, so the TAP runner
// (@stryker-mutator/tap-runner) runs each compiled test file as node runs it and reports per-file
// coverage, so a mutant runs only the files that reach it. Stryker instruments the TypeScript
// sources with all mutants at once (mutant schemata); the build command compiles the sandbox once,
// and the TypeScript checker drops mutants that would not compile before any test runs.
import { Stryker } from '@stryker-mutator/core';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modules } from './modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const checkTypes = args.includes('--check-types');
const only = args.includes('--module') ? args[args.indexOf('--module') + 1].split(',') : undefined;
const sample = args.includes('--mutate') ? args[args.indexOf('--mutate') + 1].split(',') : undefined;
const chosen = only ? modules.filter((module) => only.includes(module.name)) : modules;
if (sample && chosen.length !== 1) {
  console.error('--mutate narrows one module: name it with --module');
  process.exit(2);
}
if (only && chosen.length !== only.length) {
  console.error(`unknown module in ${only.join(',')}; the modules are ${modules.map((module) => module.name).join(', ')}`);
  process.exit(2);
}

// tsc compiles only the chosen module's tests and what they import (not the whole project), from a
// tsconfig of the module's own (tsconfig.mutation.<module>.json, not committed): two modules' runs
// side by side must not build each other's tests.
const compiled = (test) => 'out/' + test.replace(/\.ts$/, '.js');

/** Stryker's score: killed (or timed out) among the mutants that compiled and ran or had no test. */
function score(results) {
  const count = (...statuses) => results.filter((mutant) => statuses.includes(mutant.status)).length;
  const detected = count('Killed', 'Timeout');
  const undetected = count('Survived', 'NoCoverage');
  return { detected, undetected, total: detected + undetected, percent: (100 * detected) / Math.max(1, detected + undetected) };
}

// The GPT's WebAssembly kernels module and the prompt-test files' validator are generated; the
// sandbox copies them from here. (Stryker runs the build command without a shell, so the build
// itself is one tsc call.)
execSync('npm run build:wasm', { cwd: root, stdio: 'ignore' });
execSync('node scripts/generatePromptTestsValidator.mjs', { cwd: root, stdio: 'ignore' });

/**
 * Merges a narrowed run's report into the module's parts file. Mutants are matched by place, mutator
 * and replacement (Stryker's ids are per run); a file whose source changed keeps only the new part's
 * mutants. Tests are named by their file (the TAP runner's one test per file), so ids are remapped to
 * file names and killedBy/coveredBy stay valid across parts.
 */
function mergePart(partsPath, part) {
  const merged = existsSync(partsPath) ? JSON.parse(readFileSync(partsPath, 'utf8')) : { ...part, files: {}, testFiles: {} };
  const testName = new Map(Object.values(part.testFiles ?? {}).flatMap((file) => file.tests.map((test) => [test.id, test.name])));
  const renamed = (ids) => ids?.map((id) => testName.get(id) ?? id);
  for (const [fileName, file] of Object.entries(part.testFiles ?? {})) {
    merged.testFiles[fileName] = { ...file, tests: file.tests.map((test) => ({ ...test, id: test.name })) };
  }
  const place = (mutant) => `${mutant.location.start.line}:${mutant.location.start.column}-${mutant.location.end.line}:${mutant.location.end.column} ${mutant.mutatorName} ${mutant.replacement}`;
  for (const [fileName, file] of Object.entries(part.files)) {
    const before = merged.files[fileName]?.source === file.source ? merged.files[fileName].mutants : [];
    const mutants = new Map(before.map((mutant) => [place(mutant), mutant]));
    for (const mutant of file.mutants) mutants.set(place(mutant), { ...mutant, id: `${fileName}@${place(mutant)}`, killedBy: renamed(mutant.killedBy), coveredBy: renamed(mutant.coveredBy) });
    merged.files[fileName] = { ...file, mutants: [...mutants.values()] };
  }
  writeFileSync(partsPath, JSON.stringify(merged, null, 2) + '\n');
  return Object.values(merged.files).flatMap((file) => file.mutants);
}

const rows = [];
for (const module of chosen) {
  // The containers' entry scripts and workers are started by path (emulator/runtime/hosts/builtinImages.ts,
  // the GPT's data-parallel workers), not imported, so all of the containers are compiled: without
  // them every endpoint or job of a built-in image fails.
  // So is the emulator's CLI (the crash tests start it as a process: harness/emulatorClients' spawnCli).
  const include = [...module.tests, 'emulator/**/*.d.ts', 'emulator/containers/**/*.ts', 'emulator/cli.ts'];
  const tsconfig = `tsconfig.mutation.${module.name}.json`;
  writeFileSync(join(root, tsconfig), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noUnusedLocals: false }, include }, null, 2) + '\n');
  mkdirSync(join(root, 'test/mutation/incremental'), { recursive: true });
  const started = Date.now();
  const stryker = new Stryker({
    mutate: sample ?? module.mutate,
    testRunner: 'tap',
    tap: { testFiles: module.tests.map(compiled), nodeArgs: ['--test-reporter=tap'] },
    // `--check-types`: the TypeScript checker drops mutants that would not compile before any test
    // runs. It needs the whole project's program (it refuses a narrower tsconfig), which costs ~40 s
    // a mutant on this loaded 2-core machine, so it is opt-in; without it such mutants run as plain
    // JavaScript and are killed or listed like any other.
    checkers: checkTypes ? ['typescript'] : [],
    tsconfigFile: checkTypes ? 'tsconfig.json' : tsconfig,
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    // Instrumented sources do not type-check; tsc still has to emit them.
    disableTypeChecks: '{src,emulator,test}/**/*.ts',
    buildCommand: `tsc -p ${tsconfig}`,
    coverageAnalysis: 'perTest',
    // Two cores: one test process per core.
    concurrency: 2,
    // A mutant whose tests take this much longer than without it counts as a hang (killed). The
    // machine is shared and loaded, so the margin is wide: a slow run must not pass for a kill.
    timeoutMS: 30_000,
    incremental: true,
    force: full,
    incrementalFile: `test/mutation/incremental/${module.name}${sample ? '.sample' : ''}.json`,
    ignorePatterns: ['out', 'dist', '.workbench', '.emulator-data', 'test-results', '*.vsix', 'reports', '.stryker-tmp'],
    reporters: ['progress', 'clear-text', 'html', 'json'],
    clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: true },
    htmlReporter: { fileName: `reports/mutation/${module.name}${sample ? '.sample' : ''}.html` },
    jsonReporter: { fileName: `reports/mutation/${module.name}${sample ? '.sample' : ''}.json` },
    // One temporary directory per module: Stryker removes its whole temporary directory at the end,
    // which would take the sandbox of another module's run going on beside it.
    tempDirName: `.stryker-tmp/${module.name}`,
    cleanTempDir: true,
    logLevel: process.env.STRYKER_LOG ?? 'info',
    plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
  });
  const results = await stryker.runMutationTest();
  rows.push({ module: sample ? `${module.name} (sample)` : module.name, ...score(results), seconds: Math.round((Date.now() - started) / 1000) });
  if (sample) {
    const part = JSON.parse(readFileSync(join(root, `test/mutation/incremental/${module.name}.sample.json`), 'utf8'));
    const parts = mergePart(join(root, `test/mutation/incremental/${module.name}.parts.json`), part);
    rows.push({ module: `${module.name} (all parts)`, ...score(parts), seconds: 0 });
  }
}

console.log('\nmutation score per module' + (full ? ' (full run)' : ' (incremental)'));
console.log('module'.padEnd(20) + 'score'.padStart(8) + 'killed'.padStart(8) + 'survived'.padStart(10) + 'seconds'.padStart(9));
for (const row of rows) {
  console.log(row.module.padEnd(20) + `${row.percent.toFixed(1)}%`.padStart(8) + String(row.detected).padStart(8) + String(row.undetected).padStart(10) + String(row.seconds).padStart(9));
}
process.exitCode = rows.every((row) => row.percent >= 80) ? 0 : 1;
