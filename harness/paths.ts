// Where things are, for the harness (shared by tests and benchmarks) compiled to out/harness/.
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EMULATOR_BUNDLE = path.join(REPO_ROOT, 'dist', 'emulator.js');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, 'test', 'vscode', 'node_modules', '.bin', 'code-server');
export const VSIX_PATH = path.join(REPO_ROOT, 'dist', 'sagemaker-llm-workbench.vsix');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const EXTENSION_ID = 'llm-workbench.sagemaker-llm-workbench';
export const CHROMIUM = '/usr/bin/chromium';
