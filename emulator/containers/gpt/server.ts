// The model server under the SageMaker inference contract: GET /ping answers 200 once the model is
// loaded, POST /invocations generates in the TGI or the Messages API format (payloads.ts), streamed
// as server-sent events when asked. Generation is CPU-bound, so every request hands the event loop
// back after each token: concurrent streams advance in turn and /ping is never starved.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { TextGenerator, type GeneratedToken, type GenerationResult } from './generation';
import { loadModel, loadModelFromTarGz, type SavedModel } from './modelFiles';
import { completeResponse, createStreamEncoder, parseRequest, PayloadError, type ParsedRequest } from './payloads';

export interface ModelServerOptions {
  /** The extracted model (SM_MODEL_DIR)… */
  modelDirectory?: string;
  /**
   * …or its model.tar.gz, read as it is without extracting files: a local path or an http(s) URL
   * (such as a presigned S3 GetObject URL).
   */
  modelArchive?: string;
  /** Requests generating at once; more are answered 429. */
  maxConcurrentRequests: number;
  /** Called if the model cannot be loaded (the server then answers 503 with the reason). */
  onLoadFailure?: (error: Error) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createModelServer(options: ModelServerOptions): http.Server {
  let generator: TextGenerator | undefined;
  let loadError: Error | undefined;
  loadServedModel(options).then(
    (model) => (generator = new TextGenerator(model)),
    (error: Error) => {
      loadError = error;
      options.onLoadFailure?.(error);
    },
  );
  let active = 0;

  return http.createServer((request, response) => {
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
}

function loadServedModel({ modelDirectory, modelArchive }: ModelServerOptions): Promise<SavedModel> {
  if ((modelDirectory === undefined) === (modelArchive === undefined)) {
    return Promise.reject(new Error('give the model server either a model directory or a model archive'));
  }
  return modelArchive === undefined ? loadModel(modelDirectory!) : openArchive(modelArchive).then(loadModelFromTarGz);
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

async function invoke(generator: TextGenerator, parsed: ParsedRequest, response: http.ServerResponse): Promise<void> {
  const stream = generator.stream(parsed.prompt, parsed.parameters);
  // The first step validates the parameters and runs the prompt: its errors still get a status.
  let next: IteratorResult<GeneratedToken, GenerationResult>;
  try {
    next = stream.next();
  } catch (error) {
    throw error instanceof RangeError ? new PayloadError(422, error.message) : error;
  }
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  if (!parsed.stream) {
    while (!next.done) {
      await yieldToEventLoop();
      next = stream.next();
    }
    const body = JSON.stringify(completeResponse(parsed, next.value, id, created));
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let closed = false;
  response.once('close', () => (closed = true));
  const encoder = createStreamEncoder(parsed, id, created);
  try {
    while (!next.done && !closed) {
      const token = next.value;
      // The last token carries its finish reason; the result then comes without another step.
      if (token.finishReason) {
        response.write(encoder.last(token, finish(stream)));
        break;
      }
      response.write(encoder.token(token));
      await yieldToEventLoop();
      next = stream.next();
    }
  } catch (error) {
    response.write(`data:${new PayloadError(424, (error as Error).message, 'generation').body()}\n\n`);
  }
  response.end();
}

function finish(stream: Generator<GeneratedToken, GenerationResult>): GenerationResult {
  const end = stream.next();
  if (!end.done) {
    throw new Error('generation went on after its last token');
  }
  return end.value;
}

function sendError(response: http.ServerResponse, error: PayloadError): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = error.body();
  response.writeHead(error.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}
