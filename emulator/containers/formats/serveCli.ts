// `node formats/serveCli.js`: the echo model server (image sagemaker-emulator/format-echo) under the
// SageMaker inference contract — GET /ping, POST /invocations on 127.0.0.1:SAGEMAKER_BIND_TO_PORT —
// speaking the format named by SM_EMULATOR_FORMAT (formats.ts). Streams one token per tick of
// ECHO_TOKEN_INTERVAL_MS (default 5), so an answer arrives in many parts, as a real model's does.
// ECHO_STREAM_ERROR_AFTER=N (a model's Environment) makes every streamed answer fail after N pieces
// with an error event in the format's shape, as a server whose generation fails mid-answer does — so
// the chat and the prompt tests meet a stream error inside the stream for real.
import * as http from 'node:http';
import { completeBody, ECHO_FORMATS, echoAnswer, EchoRequestError, parseEchoRequest, streamChunks, streamErrorChunk, type EchoFormat } from './formats';

const format = (process.env.SM_EMULATOR_FORMAT ?? 'messages') as EchoFormat;
if (!ECHO_FORMATS.includes(format)) {
  console.error(`SM_EMULATOR_FORMAT must be one of ${ECHO_FORMATS.join(', ')}; it is ${format}`);
  process.exit(2);
}
const interval = Number(process.env.ECHO_TOKEN_INTERVAL_MS ?? 5);
const errorAfter = process.env.ECHO_STREAM_ERROR_AFTER === undefined ? undefined : Number(process.env.ECHO_STREAM_ERROR_AFTER);
const MAX_BODY_BYTES = 1024 * 1024;

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/ping') {
    response.writeHead(200).end();
    return;
  }
  if (request.method !== 'POST' || request.url !== '/invocations') {
    response.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `no route ${request.method} ${request.url}` }));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      if (size > MAX_BODY_BYTES) throw new EchoRequestError(413, `the request is over ${MAX_BODY_BYTES} bytes`);
      const attributes = request.headers['x-amzn-sagemaker-custom-attributes'];
      const parsed = parseEchoRequest(format, Buffer.concat(chunks).toString('utf8'), Array.isArray(attributes) ? attributes.join(';') : attributes);
      const answer = echoAnswer(parsed);
      if (!parsed.stream) {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(completeBody(format, answer));
        return;
      }
      const { contentType, chunks: pieces } = streamChunks(format, answer);
      response.writeHead(200, { 'Content-Type': contentType });
      let next = 0;
      const timer = setInterval(() => {
        if (next === pieces.length || response.destroyed) {
          clearInterval(timer);
          response.end();
          return;
        }
        if (next === errorAfter) {
          clearInterval(timer);
          response.end(streamErrorChunk(format, `generation failed after ${errorAfter} pieces (ECHO_STREAM_ERROR_AFTER)`));
          return;
        }
        response.write(pieces[next++]);
      }, interval);
    } catch (error) {
      const status = error instanceof EchoRequestError ? error.status : 500;
      const body = error instanceof EchoRequestError && error.body !== undefined ? error.body : JSON.stringify({ error: (error as Error).message, error_type: 'validation' });
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    }
  });
});

server.listen(Number(process.env.SAGEMAKER_BIND_TO_PORT ?? 8080), '127.0.0.1', () => console.log(`echo model server (${format}) listening`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
