// Clients of an emulator, shared by the emulator tests and the benchmarks: the test credentials, real
// AWS SDK v3 clients pointed at a URL, the emulator CLI started as a process, the AWS CLI's path.
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The AWS CLI (`apt-get install awscli`): an independent client (Python, botocore). */
export const AWS_CLI = '/usr/bin/aws';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The compiled CLI (out/emulator/cli.js), for tests that need a real process. */
export const CLI_PATH = join(__dirname, '..', 'emulator', 'cli.js');

export interface CliProcess {
  child: ChildProcess;
  url: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals>;
}

/** Starts `node <script> ...args` and waits for its `listening on` line (at most 10 s). */
export async function spawnCli(args: string[], script = CLI_PATH): Promise<CliProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // The caller never gets hold of a process that did not start: end it here, or its pipes keep
      // the test runner waiting after the test has failed.
      child.kill('SIGKILL');
      reject(new Error(`no "listening on" line within 10 s; stderr: ${stderr}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before listening; stderr: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr, exited };
}

export function makeTempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ClientOptions {
  region?: string;
  /** A 12-digit access key id acts as that account. */
  accessKeyId?: string;
  maxAttempts?: number;
}

/** The SDK warns on console about failed streamed uploads, which some tests cause on purpose. */
const QUIET_LOGGER = { debug() {}, info() {}, warn() {}, error() {} };

export function clientConfig(url: string, options: ClientOptions = {}) {
  return {
    logger: QUIET_LOGGER,
    endpoint: url,
    region: options.region ?? 'us-east-1',
    credentials: { ...TEST_CREDENTIALS, accessKeyId: options.accessKeyId ?? TEST_CREDENTIALS.accessKeyId },
    maxAttempts: options.maxAttempts ?? 1,
  };
}

export function s3Client(url: string, options: ClientOptions = {}): S3Client {
  return new S3Client({ ...clientConfig(url, options), forcePathStyle: true });
}

export function sagemakerClient(url: string, options: ClientOptions = {}): SageMakerClient {
  return new SageMakerClient(clientConfig(url, options));
}
