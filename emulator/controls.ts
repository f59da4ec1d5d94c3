// Emulator-only controls under `/_emulator/`: health, and faults that make the runtimes behave as
// AWS does when something goes wrong (a managed spot instance reclaimed mid-training).
//
//   GET  /_emulator/health
//   GET  /_emulator/images   {"images": ["sagemaker-emulator/builtin-gpt", …]}: the images jobs can use
//   POST /_emulator/faults  {"type": "spot-interruption", "trainingJobName": "…", "region"?: "…", "accountId"?: "…"}
import type { IncomingMessage, ServerResponse } from 'node:http';
import packageJson from '../package.json';
import type { Runtimes } from './operations';
import { DEFAULT_REGION } from './routing';

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

interface ControlContext {
  defaultAccountId: string;
  runtimes: Runtimes;
}

export async function serveControl(path: string, request: IncomingMessage, response: ServerResponse, context: ControlContext): Promise<void> {
  if (path === '/_emulator/health' && request.method === 'GET') {
    reply(response, 200, { status: 'ok', version: packageJson.version });
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

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
