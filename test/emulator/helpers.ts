// Shared set-up of the emulator tests: an in-process emulator on 127.0.0.1:0 with a temporary data
// directory, real AWS SDK v3 clients pointed at it, and a raw HTTP helper (request builders: harness/requests.ts).
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { FaultView } from '../../emulator/faults/faults';
import type { RuntimeOptions } from '../../emulator/runtimeWiring';
import { until } from '../../harness/waiting';
import { makeTempDir, s3Client, sagemakerClient } from '../../harness/emulatorClients';

// The SDK warns once per process that it will require Node 22 in 2027; the tests run on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface TestEmulator {
  url: string;
  /** `<root>/data`: nothing but `data` may ever appear in `<root>`. */
  dataDir: string;
  root: string;
  s3: S3Client;
  sagemaker: SageMakerClient;
  /** Lines the emulator logged (internal errors, store recovery). */
  logs: string[];
  /** Closes the emulator and starts a new one on the same data directory (with other runtime options). */
  restart(runtime?: RuntimeOptions): Promise<void>;
  /** Closes the emulator and deletes its data. */
  close(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const root = makeTempDir('emulator-test');
  const dataDir = join(root.path, 'data');
  const logs: string[] = [];
  // These tests check the API and its state machines; runtime/jobs/trainingRuntime.test.ts runs jobs and
  // runtime/endpoints/endpointRuntime.test.ts endpoints for real.
  const start = (runtime: RuntimeOptions = { maxConcurrentJobs: 0, runEndpoints: false }) => startEmulator({ dataDir, runtime, log: (line) => logs.push(line) });
  let running: RunningEmulator = await start();
  const clients = (url: string) => ({ s3: s3Client(url), sagemaker: sagemakerClient(url) });
  const emulator: TestEmulator = {
    url: running.url,
    dataDir,
    root: root.path,
    ...clients(running.url),
    logs,
    async restart(runtime) {
      await running.close();
      emulator.s3.destroy();
      emulator.sagemaker.destroy();
      running = await start(runtime);
      Object.assign(emulator, { url: running.url, ...clients(running.url) });
    },
    async close() {
      emulator.s3.destroy();
      emulator.sagemaker.destroy();
      await running.close();
      root.remove();
    },
  };
  return emulator;
}

/** The error a promise rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to fail');
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request exactly as given (no SDK), for protocol edge cases. */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...(options.body !== undefined && { 'Content-Length': String(Buffer.byteLength(options.body)) }), ...options.headers };
    const request = httpRequest(
      `${url}${options.path ?? '/'}`,
      { method: options.method ?? 'GET', headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** An Authorization header with the given credential scope (the emulator does not check signatures). */
export function authorization(signingName: string, region = 'us-east-1'): { Authorization: string } {
  return {
    Authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/${region}/${signingName}/aws4_request, SignedHeaders=host, Signature=0`,
  };
}

/** Headers of an awsJson call (JSON 1.1 unless told otherwise) to the given target, scoped to `signingName` if given. */
export function jsonTargetHeaders(target: string, signingName?: string, jsonVersion = '1.1'): Record<string, string> {
  return {
    'Content-Type': `application/x-amz-json-${jsonVersion}`,
    'X-Amz-Target': target,
    ...(signingName && authorization(signingName)),
  };
}

/** The base64 CRC32 of `data`, as S3's x-amz-checksum-crc32 carries it. */
export function crc32Base64(data: Buffer): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(data));
  return bytes.toString('base64');
}

/** A body whose bytes differ across it, so a misplaced part or byte range cannot go unnoticed. */
export function patterned(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4)).map((_, index) => Math.imul(index, 2654435761) + seed);
  return Buffer.from(words.buffer, 0, size);
}

/** A seeded generator of numbers in [0, 1) (mulberry32): fuzz runs are deterministic, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An answer of the /_emulator/faults control. */
export interface FaultAnswer {
  status: number;
  body: FaultView & { message?: string; __type?: string; interrupted?: string };
}

/** POST /_emulator/faults: the fault as listed (200), or the refusal. */
export async function addFault(url: string, definition: object): Promise<FaultAnswer> {
  const response = await fetch(`${url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) });
  return { status: response.status, body: (await response.json()) as FaultAnswer['body'] };
}

/** POST /_emulator/faults that must be taken: the fault as listed. */
export async function injectFault(url: string, definition: object): Promise<FaultView> {
  const { status, body } = await addFault(url, definition);
  if (status !== 200) throw new Error(`fault ${JSON.stringify(definition)} refused (${status}): ${body.message}`);
  return body;
}

export async function listFaults(url: string): Promise<FaultView[]> {
  const response = await fetch(`${url}/_emulator/faults`);
  return ((await response.json()) as { faults: FaultView[] }).faults;
}

/** DELETE /_emulator/faults[/id]: the status and the ids removed. */
export async function removeFaults(url: string, id?: string): Promise<{ status: number; removed?: string[] }> {
  const response = await fetch(`${url}/_emulator/faults${id === undefined ? '' : `/${id}`}`, { method: 'DELETE' });
  const body = (await response.json()) as { removed?: string[] };
  return { status: response.status, removed: body.removed };
}

/**
 * Waits until the clock has passed `time` (a resource's CreationTime, say), so that what is created
 * next is strictly newer: listings sorted by time then have one order, whatever the machine's speed.
 */
export async function clockPast(what: string, time: Date | undefined): Promise<void> {
  if (!time) throw new Error(`${what} has no time`);
  await until(`the clock to pass ${what} (${time.toISOString()})`, () => (Date.now() > time.getTime() ? true : undefined), { intervalMs: 1 });
}
