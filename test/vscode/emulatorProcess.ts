// The bundled emulator CLI as a real process, as users and the extension run it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { emulatorEnvironment } from '../../src/emulatorEnvironment';
import { EMULATOR_BUNDLE } from './paths';
import { spawnGroup, stopGroup, waitForOutput } from './processes';

export interface EmulatorProcess {
  url: string;
  dataDir: string;
  /** Everything it printed, for failure reports. */
  output: () => string;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(
  options: {
    port?: number;
    dataDir?: string;
    /** 0: jobs are accepted and stay queued, for tests of what the views show of a given state. */
    maxConcurrentJobs?: number;
    /** false: hosts run as plain processes (--no-host-sandbox), for the runtime benchmark's comparison. */
    hostSandbox?: boolean;
  } = {},
): Promise<EmulatorProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'sagemaker-emulator-'));
  const jobs = options.maxConcurrentJobs === undefined ? [] : ['--max-concurrent-jobs', String(options.maxConcurrentJobs)];
  const sandbox = options.hostSandbox === false ? ['--no-host-sandbox'] : [];
  // As the extension starts it: none of this machine's AWS credentials reach it, or its jobs.
  const child = spawnGroup(process.execPath, [EMULATOR_BUNDLE, '--port', String(options.port ?? 0), '--data-dir', dataDir, ...jobs, ...sandbox], {
    env: emulatorEnvironment(process.env),
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/, 10_000, 'the emulator');
  return { url, dataDir, output: () => output, stop: () => stopGroup(child) };
}
