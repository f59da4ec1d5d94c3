// Entry point the VS Code extension host loads (`extensionTestsPath`): runs every *.suite.js here
// with mocha, inside the real extension host, and writes one result per test to the file named by
// SAGEMAKER_TEST_RESULTS so the outer node:test run reports them one by one.
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  // SAGEMAKER_SUITES=logs,trees runs only those suites (while working on them).
  const only = process.env.SAGEMAKER_SUITES?.split(',').map((name) => `${name.trim()}.suite.js`);
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.suite.js') && (!only || only.includes(name))).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const results: SuiteResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.SAGEMAKER_TEST_RESULTS) {
        writeFileSync(process.env.SAGEMAKER_TEST_RESULTS, JSON.stringify(results, null, 2));
      }
      failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? String(error) }),
    );
  });
}
