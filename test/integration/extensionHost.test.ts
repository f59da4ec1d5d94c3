// Runs the suites under suite/ inside the real VS Code extension host (code-server), with the
// extension loaded from this folder and connected to an emulator process, and reports each test.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SuiteResult } from './suite/index';
import { runExtensionTests } from '../../harness/extensionTests';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { trainedFixture } from '../../harness/trainedFixture';

describe('extension host (code-server)', () => {
  let emulator: EmulatorProcess;
  /** Runs jobs and scales endpoints every second, from the run's trained GPT: for the serving suite. */
  let serving: EmulatorProcess;
  let results: SuiteResult[] = [];
  let failure: Error | undefined;
  let log = '';

  before(async () => {
    const [started, trained] = await Promise.all([startEmulatorProcess({ maxConcurrentJobs: 0 }), trainedFixture()]);
    emulator = started;
    serving = await startEmulatorProcess({ dataDir: trained.dataDir, autoscalingPeriodSeconds: 1 });
    const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'sagemaker-results-')), 'results.json');
    const run = await runExtensionTests({
      suite: path.join(__dirname, 'suite', 'index.js'),
      settings: {
        'sagemaker.connection.mode': 'emulator',
        'sagemaker.emulator.url': emulator.url,
        'sagemaker.emulator.autoStart': false,
      },
      env: {
        SAGEMAKER_TEST_RESULTS: resultsFile,
        SAGEMAKER_SERVING_EMULATOR: serving.url,
        SAGEMAKER_TRAINED_JOB: trained.trainingJob,
        SAGEMAKER_TRAINED_BUCKET: trained.bucket,
        ...(process.env.SAGEMAKER_SUITES ? { SAGEMAKER_SUITES: process.env.SAGEMAKER_SUITES } : {}),
      },
      name: 'integration',
      // Every suite in one extension host: about 4 minutes here, more on a loaded machine.
      timeoutMs: 600_000,
    });
    log = run.log;
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[];
    } catch {
      failure = new Error(`the suite wrote no results (exit code ${run.exitCode}):\n${run.log}`);
    }
  });

  after(async () => {
    // A failed test often shows only an outcome (a job Failed, a status); the emulators' own lines
    // (a job's stack, an internal error) say why.
    if (failure || results.some((result) => result.state === 'failed')) {
      for (const [name, process] of [['emulator', emulator], ['serving emulator', serving]] as const) {
        const lines = process?.output().trimEnd().split('\n').slice(-60) ?? [];
        if (lines.length) console.log(`\n${name}'s last ${lines.length} lines:\n${lines.join('\n')}`);
      }
    }
    await emulator?.stop();
    await serving?.stop();
  });

  it('ran the suites', () => {
    if (failure) throw failure;
    assert.ok(results.length > 0, 'at least one test ran in the extension host');
  });

  it('left no unhandled rejection in the extension host (fed odd inputs, its emulator killed)', () => {
    // VS Code's extension host reports each one as "rejected promise not handled within 1 second".
    const unhandled = log.split('\n').filter((line) => /rejected promise not handled|unhandledRejection/i.test(line));
    assert.deepEqual(unhandled, []);
  });

  // One node:test result per mocha test, so the summary counts them.
  it('every test in the extension host passed', async (t) => {
    for (const result of results) {
      await t.test(result.title, () => {
        if (result.state === 'failed') {
          assert.fail(result.error);
        }
      });
    }
  });
});
