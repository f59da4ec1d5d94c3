// Emulator-only controls under `/_emulator/`: health (with the data folder and process, so that a
// VS Code window can tell whether the emulator at a URL is the one it is configured for), a clean
// shutdown, and faults that make the emulator behave as AWS does when something goes wrong
// (throttling, S3 errors, latency, lost instances, spot reclaims).
//
//   GET  /_emulator/health    {"status": "ok" | "degraded", "version": …, "store": {"status", "reason"?, "since"?}, "dataDir": …, "pid": …}
//   POST /_emulator/shutdown  → 202, then stops as on SIGTERM (501 when the emulator runs in-process)
//   GET  /_emulator/images    {"images": ["sagemaker-emulator/builtin-gpt", …]}: the images jobs can use
//   GET|POST|DELETE /_emulator/faults[/<id>]  see faults/faultControls.ts
//
// With --verify-signatures every control needs the same SigV4 signature as the APIs (any signing
// name), but for one answer: an unsigned GET /_emulator/health gets `{"status": …}` alone. Liveness
// checks (the extension's "is the emulator up?", a supervisor's probe) cannot sign, and this tells a
// peer nothing that connecting to the port does not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import packageJson from '../package.json';
import type { SignatureVerifier } from './auth/signatureV4';
import { type AwsError, toAwsError } from './errors';
import { faultControl } from './faults/faultControls';
import type { Faults } from './faults/faults';
import type { Runtimes } from './operations';
import type { StorageHealth } from './store/storageHealth';

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

interface ControlContext {
  faults: Faults;
  runtimes: Runtimes;
  /** The data folder, absolute. */
  dataDir: string;
  /** Stops the emulator as SIGTERM does; absent when it runs inside another program (tests). */
  shutdown?: () => void;
  health: StorageHealth;
  /** Present with --verify-signatures. */
  signatures?: SignatureVerifier;
}

export async function serveControl(path: string, request: IncomingMessage, response: ServerResponse, context: ControlContext): Promise<void> {
  const isHealth = path === '/_emulator/health' && request.method === 'GET';
  if (context.signatures) {
    if (isHealth && !isSigned(request)) {
      reply(response, 200, { status: (await context.health.state()).status });
      return;
    }
    try {
      await context.signatures.verify(request, 'sagemaker');
    } catch (error) {
      writeControlError(response, toAwsError(error, 'InternalFailure', () => {}));
      return;
    }
  }
  if (isHealth) {
    const store = await context.health.state();
    // The data folder and process: a VS Code window tells by them whether the emulator is its own.
    reply(response, 200, { status: store.status, version: packageJson.version, store, dataDir: context.dataDir, pid: process.pid });
    return;
  }
  if (path === '/_emulator/images' && request.method === 'GET') {
    reply(response, 200, { images: context.runtimes.images.names() });
    return;
  }
  if (path === '/_emulator/shutdown' && request.method === 'POST') {
    if (!context.shutdown) {
      reply(response, 501, { message: 'This emulator runs inside another program, which stops it.' });
      return;
    }
    reply(response, 202, { stopping: true, pid: process.pid });
    // Once the answer is out: stopping closes the server and its connections.
    response.once('finish', context.shutdown);
    return;
  }
  const faults = faultControl(context.faults, request.method, path, () => readJson(request));
  if (faults) {
    const { status, body } = await faults;
    reply(response, status, body);
    return;
  }
  reply(response, 404, { message: `No emulator control at ${request.method} ${path}` });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_CONTROL_BODY_BYTES) return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A refusal of a control request, in the JSON protocols' error shape. */
export function writeControlError(response: ServerResponse, error: AwsError): void {
  reply(response, error.status, { __type: error.code, message: error.message });
}

function isSigned(request: IncomingMessage): boolean {
  return request.headers.authorization !== undefined || /[?&]X-Amz-Credential=/i.test(request.url ?? '');
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
