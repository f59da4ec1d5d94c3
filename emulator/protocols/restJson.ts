// REST-JSON (SageMaker Runtime): the operation comes from method + URI template; input and output
// members bind to labels, query parameters and headers (httpBindings), the payload member is the
// body — raw bytes for a blob, or an event stream (application/vnd.amazon.eventstream) for an
// event-stream union, which handlers return as an async iterable of events. Errors are JSON
// `{"__type", "message", ...}` with `x-amzn-ErrorType`, as awsJson writes them.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, toAwsError } from '../errors';
import { excerpt } from '../excerpt';
import { type OperationModel, type ServiceModel, type StructureShape, shapeOf, structureOf } from '../models';
import { findHandler, type OperationTable, type RequestContext, runHandler } from '../operations';
import { splitUrl } from '../routing';
import { validate } from '../validation';
import { writeJsonError } from './awsJson';
import { readBody, type ServiceEndpoint } from './endpoint';
import { compileRoutes, matchRoute, readBoundMembers, type RequestParts, writeBoundMembers } from './httpBindings';

const CONTENT_TYPE = 'application/json';
const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
/** A blob payload without a modelled maximum. */
const DEFAULT_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** One event of an event-stream output: the union member's name and its value. */
export type StreamEvent = Record<string, Record<string, unknown>>;

/**
 * Thrown by a handler's event iterable once streaming has begun: written as an exception message
 * of the stream (`:exception-type` = code), the only way left to fail a started response.
 */
export class StreamError extends Error {
  constructor(
    readonly code: string,
    readonly fields: Record<string, unknown>,
  ) {
    super(String(fields.Message ?? code));
  }
}

export function restJsonEndpoint(model: ServiceModel, operations: OperationTable): ServiceEndpoint {
  const routes = compileRoutes(model);
  return {
    async handle(request, response, context) {
      const { path, query } = splitUrl(request.url);
      const parts: RequestParts = { method: request.method ?? 'GET', path, query, headers: request.headers };
      const match = matchRoute(routes, parts);
      if (!match) throw new AwsError('UnknownOperationException', 404, `No ${model.service} operation at ${request.method} ${excerpt(path)}`);
      const handler = findHandler(model, operations, match.operation);
      const operation = model.operations[match.operation];
      const input = await readInput(model, operation, request, { ...parts, labels: match.labels });
      const output = (await runHandler(handler, input, context, match.operation)) as Record<string, unknown>;
      await writeOutput(model, operation, output, response, context);
    },
    writeError(error, _request, response, context) {
      writeJsonError(response, toAwsError(error, 'InternalFailure', context.log, model.service), context.requestId, CONTENT_TYPE);
    },
  };
}

async function readInput(
  model: ServiceModel,
  operation: OperationModel,
  request: IncomingMessage,
  parts: RequestParts & { labels: Record<string, string> },
): Promise<Record<string, unknown>> {
  if (!operation.input) return {};
  const shape = structureOf(model, operation.input);
  const invalid = (message: string) => new AwsError(model.validationErrorCode ?? 'ValidationException', 400, message);
  const input = readBoundMembers(model, shape, parts, invalid);
  if (shape.payload) {
    const payloadShape = shapeOf(model, shape.members[shape.payload].shape);
    if (payloadShape.type !== 'blob') throw new Error(`rest-json payloads of type ${payloadShape.type} are not supported`);
    const max = payloadShape.max ?? DEFAULT_MAX_PAYLOAD_BYTES;
    // Over the limit: the model's length constraint, in the validator's words, without reading it all.
    const body = await readBody(request, max, () => lengthViolation(model, shape.payload!, max));
    input[shape.payload] = body;
  }
  validate(model, operation.input, input);
  return input;
}

function lengthViolation(model: ServiceModel, member: string, max: number): AwsError {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return new AwsError(
    model.validationErrorCode ?? 'ValidationException',
    400,
    `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );
}

async function writeOutput(
  model: ServiceModel,
  operation: OperationModel,
  output: Record<string, unknown>,
  response: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const shape = operation.output ? structureOf(model, operation.output) : undefined;
  response.setHeader('x-amzn-RequestId', context.requestId);
  writeBoundMembers(model, shape, output, response);
  const status = operation.http?.status ?? 200;
  const payloadName = shape?.payload;
  if (!payloadName) {
    const body = JSON.stringify(Object.fromEntries(Object.entries(output).filter(([name]) => !shape?.members[name]?.location)));
    response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) }).end(body);
    return;
  }
  const payloadShape = shapeOf(model, shape.members[payloadName].shape);
  const payload = output[payloadName];
  if (payloadShape.type === 'structure' && payloadShape.eventstream) {
    await writeEventStream(model, payloadShape, payload as AsyncIterable<StreamEvent>, response, status, context);
    return;
  }
  const body = Buffer.from((payload as Uint8Array | undefined) ?? new Uint8Array());
  if (!response.hasHeader('Content-Type')) response.setHeader('Content-Type', 'application/octet-stream');
  response.writeHead(status, { 'Content-Length': body.length }).end(body);
}

/**
 * Each event as one event-stream message: `:event-type` names the union member; a member marked
 * eventpayload is the message body as is (blobs as bytes), otherwise the event is a JSON body.
 */
async function writeEventStream(
  model: ServiceModel,
  union: StructureShape,
  events: AsyncIterable<StreamEvent>,
  response: ServerResponse,
  status: number,
  context: RequestContext,
): Promise<void> {
  response.writeHead(status, { 'Content-Type': EVENT_STREAM_CONTENT_TYPE, 'Transfer-Encoding': 'chunked' });
  const closed = new Promise<void>((resolve) => response.once('close', resolve));
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      // A client that goes away ends the stream: the handler's iterator is returned, so it can let go.
      const next = await Promise.race([iterator.next(), closed.then(() => undefined)]);
      if (!next || next.done) break;
      for (const [eventType, value] of Object.entries(next.value)) {
        const eventShape = structureOf(model, union.members[eventType].shape);
        if (!response.write(encodeEvent(model, eventShape, eventType, value))) {
          await Promise.race([new Promise((resolve) => response.once('drain', resolve)), closed]);
        }
      }
    }
  } catch (error) {
    const streamError = error instanceof StreamError ? error : new StreamError('InternalStreamFailure', { Message: 'Internal stream failure' });
    if (!(error instanceof StreamError)) context.log(`stream failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    response.write(
      codec.encode({
        headers: {
          ':message-type': { type: 'string', value: 'exception' },
          ':exception-type': { type: 'string', value: streamError.code },
          ':content-type': { type: 'string', value: CONTENT_TYPE },
        },
        body: Buffer.from(JSON.stringify(streamError.fields)),
      }),
    );
  } finally {
    await iterator.return?.();
    response.end();
  }
}

function encodeEvent(model: ServiceModel, shape: StructureShape, eventType: string, value: Record<string, unknown>): Uint8Array {
  const payloadMember = Object.entries(shape.members).find(([, member]) => member.eventpayload)?.[0];
  let body: Uint8Array;
  let contentType: string;
  if (payloadMember) {
    const memberShape = shapeOf(model, shape.members[payloadMember].shape);
    const payload = value[payloadMember];
    body = memberShape.type === 'blob' ? (payload as Uint8Array) : Buffer.from(String(payload ?? ''));
    contentType = memberShape.type === 'blob' ? 'application/octet-stream' : 'text/plain';
  } else {
    body = Buffer.from(JSON.stringify(value));
    contentType = CONTENT_TYPE;
  }
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
}
