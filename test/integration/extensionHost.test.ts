// Runs the suites under suite/ inside the real VS Code extension host (code-server), with the
// extension loaded from this folder and connected to an emulator process, and reports each test.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SuiteResult } from './suite/index';
import { runExtensionTests } from '../vscode/extensionTests';
import { startEmulatorProcess, type EmulatorProcess } from '../vscode/emulatorProcess';

describe('extension host (code-server)', () => {
  let emulator: EmulatorProcess;
  let results: SuiteResult[] = [];
  let failure: Error | undefined;

  before(async () => {
    emulator = await startEmulatorProcess({ maxConcurrentJobs: 0 });
    const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'sagemaker-results-')), 'results.json');
    const run = await runExtensionTests({
      suite: path.join(__dirname, 'suite', 'index.js'),
      settings: {
        'sagemaker.connection.mode': 'emulator',
        'sagemaker.emulator.url': emulator.url,
        'sagemaker.emulator.autoStart': false,
      },
      env: { SAGEMAKER_TEST_RESULTS: resultsFile, ...(process.env.SAGEMAKER_SUITES ? { SAGEMAKER_SUITES: process.env.SAGEMAKER_SUITES } : {}) },
      name: 'integration',
    });
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[];
    } catch {
      failure = new Error(`the suite wrote no results (exit code ${run.exitCode}):\n${run.log}`);
    }
  });

  after(() => emulator?.stop());

  it('ran the suites', () => {
    if (failure) throw failure;
    assert.ok(results.length > 0, 'at least one test ran in the extension host');
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
