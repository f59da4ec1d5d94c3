// Emulator-only controls under `/_emulator/`: health, and faults that make the runtimes behave as
// AWS does when something goes wrong (a managed spot instance reclaimed mid-training).
//
//   GET  /_emulator/health  {"status": "ok" | "degraded", "version": …, "store": {"status", "reason"?, "since"?}}
//   GET  /_emulator/images  {"images": ["sagemaker-emulator/builtin-gpt", …]}: the images jobs can use
//   POST /_emulator/faults  {"type": "spot-interruption", "trainingJobName": "…", "region"?: "…", "accountId"?: "…"}
//
// With --verify-signatures every control needs the same SigV4 signature as the APIs (any signing
// name), but for one answer: an unsigned GET /_emulator/health gets `{"status": …}` alone. Liveness
// checks (the extension's "is the emulator up?", a supervisor's probe) cannot sign, and this tells a
// peer nothing that connecting to the port does not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import packageJson from '../package.json';
import type { SignatureVerifier } from './auth/signatureV4';
import { type AwsError, toAwsError } from './errors';
import type { Runtimes } from './operations';
import { DEFAULT_REGION } from './routing';
import type { StorageHealth } from './store/storageHealth';

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

interface ControlContext {
  defaultAccountId: string;
  runtimes: Runtimes;
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
    reply(response, 200, { status: store.status, version: packageJson.version, store });
    return;
  }
  if (path === '/_emulator/images' && request.method === 'GET') {
    reply(response, 200, { images: context.runtimes.images.names() });
    return;
  }
  if (path === '/_emulator/faults' && request.method === 'POST') {
    const fault = await readJson(request);
    if (fault?.type !== 'spot-interruption' || typeof fault.trainingJobName !== 'string') {
      reply(response, 400, { message: 'Expected {"type": "spot-interruption", "trainingJobName": "…"} (optional "region", "accountId").' });
      return;
    }
    const region = typeof fault.region === 'string' ? fault.region : DEFAULT_REGION;
    const accountId = typeof fault.accountId === 'string' ? fault.accountId : context.defaultAccountId;
    const arn = `arn:aws:sagemaker:${region}:${accountId}:training-job/${fault.trainingJobName.toLowerCase()}`;
    if (!context.runtimes.training.interrupt(arn)) {
      reply(response, 409, { message: `Training job ${fault.trainingJobName} is not running, or is not a managed spot training job.` });
      return;
    }
    reply(response, 200, { interrupted: arn });
    return;
  }
  reply(response, 404, { message: `No emulator control at ${request.method} ${path}` });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_CONTROL_BODY_BYTES) return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
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
