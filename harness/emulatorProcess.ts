// The bundled emulator CLI as a real process, as users and the extension run it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { emulatorEnvironment } from '../src/emulatorEnvironment';
import { EMULATOR_BUNDLE } from './paths';
import { spawnGroup, stopGroup, waitForOutput } from './processes';

export interface EmulatorProcess {
  url: string;
  dataDir: string;
  /** Everything it printed, for failure reports. */
  output: () => string;
  pid: number;
  /** Resolves when the process has exited (whoever stopped it). */
  exited: Promise<void>;
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

export async function startEmulatorProcess(
  options: {
    port?: number;
    dataDir?: string;
    /** 0: jobs are accepted and stay queued, for tests of what the views show of a given state. */
    maxConcurrentJobs?: number;
    /** false: hosts run as plain processes (--no-host-sandbox), for the runtime benchmark's comparison. */
    hostSandbox?: boolean;
    /** Seconds between target tracking evaluations (default 60, as AWS), short for scaling tests. */
    autoscalingPeriodSeconds?: number;
  } = {},
): Promise<EmulatorProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'sagemaker-emulator-'));
  const jobs = options.maxConcurrentJobs === undefined ? [] : ['--max-concurrent-jobs', String(options.maxConcurrentJobs)];
  const sandbox = options.hostSandbox === false ? ['--no-host-sandbox'] : [];
  const autoscaling = options.autoscalingPeriodSeconds === undefined ? [] : ['--autoscaling-period', String(options.autoscalingPeriodSeconds)];
  // As the extension starts it: none of this machine's AWS credentials reach it, or its jobs.
  const child = spawnGroup(process.execPath, [EMULATOR_BUNDLE, '--port', String(options.port ?? 0), '--data-dir', dataDir, ...jobs, ...sandbox, ...autoscaling], {
    env: emulatorEnvironment(process.env),
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/, 10_000, 'the emulator');
  return {
    url,
    dataDir,
    output: () => output,
    pid: child.pid!,
    exited,
    stop: () => stopGroup(child),
    kill: async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}
