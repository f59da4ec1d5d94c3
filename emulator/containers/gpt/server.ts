// The model server under the SageMaker inference contract: GET /ping answers 200 once the model is
// loaded, POST /invocations generates in the TGI or the Messages API format (payloads.ts), streamed
// as server-sent events when asked. Concurrent requests are generated together by continuous batching
// (batcher.ts), one model pass per step for all of them, with the event loop's turn between steps:
// /ping and new requests never wait for more than one step.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { ContinuousBatcher, type BatchedStream } from './batcher';
import type { GeneratedToken, GenerationResult } from './generation';
import { loadModel, loadModelFromTarGz, type SavedModel } from './modelFiles';
import { completeResponse, createStreamEncoder, parseRequest, PayloadError, type ParsedRequest } from './payloads';
import { Arena, WasmMemory } from './model/simdKernels';

export interface ModelServerOptions {
  /** The extracted model (SM_MODEL_DIR)… */
  modelDirectory?: string;
  /**
   * …or its model.tar.gz, read as it is without extracting files: a local path or an http(s) URL
   * (such as a presigned S3 GetObject URL).
   */
  modelArchive?: string;
  /** Requests generating at once (batched together); more are answered 429. */
  maxConcurrentRequests: number;
  /** Prompt rows run per step, over all streams (default 64): the most a long prompt delays the others by. */
  prefillRows?: number;
  /** The JavaScript reference kernels instead of WebAssembly SIMD (a benchmark's baseline). */
  javascriptKernels?: boolean;
  /**
   * Threads a batched pass of several streams is shared by (batcher.ts; default 1): 2 measured no
   * faster on this shared 2-core machine (×0.8–1.0 with eight streams, bench:gpt), so it stays a choice.
   */
  threads?: 1 | 2;
  /** Called if the model cannot be loaded (the server then answers 503 with the reason). */
  onLoadFailure?: (error: Error) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_PREFILL_ROWS = 64;

export function createModelServer(options: ModelServerOptions): http.Server {
  let generator: ContinuousBatcher | undefined;
  let loadError: Error | undefined;
  // The weights go straight into the WebAssembly memory the batcher then runs in.
  const arena = new Arena(WasmMemory.create(0, true));
  loadServedModel(options, arena).then(
    (model) => (generator = new ContinuousBatcher(model, {
      slots: options.maxConcurrentRequests, prefillRows: options.prefillRows ?? DEFAULT_PREFILL_ROWS, javascriptKernels: options.javascriptKernels,
      threads: options.threads ?? 1,
    }, arena)),
    (error: Error) => {
      loadError = error;
      options.onLoadFailure?.(error);
    },
  );
  let active = 0;

  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/ping') {
      response.writeHead(generator ? 200 : 503).end();
      return;
    }
    if (request.method !== 'POST' || request.url !== '/invocations') {
      sendError(response, new PayloadError(404, `no route ${request.method} ${request.url}`, 'not_found'));
      return;
    }
    if (!generator) {
      sendError(response, new PayloadError(503, loadError ? `the model failed to load: ${loadError.message}` : 'the model is loading', 'unavailable'));
      return;
    }
    if (active >= options.maxConcurrentRequests) {
      sendError(response, new PayloadError(429, 'Model is overloaded', 'overloaded'));
      return;
    }
    active++;
    const loaded = generator;
    readBody(request)
      .then((body) => invoke(loaded, parseRequest(body), response))
      .catch((error: Error) => sendError(response, error instanceof PayloadError ? error : new PayloadError(424, error.message, 'generation')))
      .finally(() => active--);
  });
  server.once('close', () => generator?.close());
  return server;
}

async function loadServedModel({ modelDirectory, modelArchive }: ModelServerOptions, arena: Arena): Promise<SavedModel> {
  if ((modelDirectory === undefined) === (modelArchive === undefined)) {
    throw new Error('give the model server either a model directory or a model archive');
  }
  return modelArchive === undefined ? loadModel(modelDirectory!) : loadModelFromTarGz(await openArchive(modelArchive), (floats) => arena.floats(floats));
}

/** A model.tar.gz as a stream: read from disk, or fetched. */
async function openArchive(location: string): Promise<AsyncIterable<Uint8Array>> {
  if (!/^https?:\/\//.test(location)) {
    return createReadStream(location, { highWaterMark: 1024 * 1024 });
  }
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    (location.startsWith('https:') ? https : http).get(location, resolve).once('error', reject);
  });
  if (response.statusCode !== 200) {
    let body = '';
    for await (const chunk of response) {
      body += String(chunk);
    }
    throw new Error(`GET of the model archive answered ${response.statusCode}: ${body.slice(0, 500)}`);
  }
  return response;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        reject(new PayloadError(413, `the request body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

/** Generates for one request through the batcher, answering whole or streamed; a closed connection cancels its stream. */
function invoke(generator: ContinuousBatcher, parsed: ParsedRequest, response: http.ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const encoder = parsed.stream ? createStreamEncoder(parsed, id, created) : undefined;
    let stream: BatchedStream;
    try {
      stream = generator.start(parsed.prompt, parsed.parameters, {
        token(token: GeneratedToken, result: GenerationResult | undefined) {
          if (encoder) {
            response.write(result ? encoder.last(token, result) : encoder.token(token));
          }
          if (!result) {
            return;
          }
          if (encoder) {
            response.end();
          } else {
            const body = JSON.stringify(completeResponse(parsed, result, id, created));
            response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
          }
          resolve();
        },
        fail(error: Error) {
          if (encoder) {
            response.end(`data:${new PayloadError(424, error.message, 'generation').body()}\n\n`);
            resolve();
          } else {
            reject(error);
          }
        },
      });
    } catch (error) {
      // The stream is validated as it starts: its errors still get a status.
      reject(error instanceof RangeError ? new PayloadError(422, error.message) : error);
      return;
    }
    if (encoder) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    }
    response.once('close', () => {
      stream.cancel();
      resolve();
    });
  });
}

function sendError(response: http.ServerResponse, error: PayloadError): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = error.body();
  response.writeHead(error.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}
