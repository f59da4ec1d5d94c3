// AWS JSON 1.1 (SageMaker, CloudWatch Logs, Application Auto Scaling) and 1.0 (CloudWatch): `POST /`
// with `X-Amz-Target: <TargetPrefix>.<Operation>` and a JSON body; timestamps are epoch seconds, blobs
// base64; errors are `{"__type": code, "message": ...}` with the code also in `x-amzn-ErrorType`.
// awsQueryCompatible services (CloudWatch) also name the error's query code and fault in
// `x-amzn-query-error: InvalidParameterValue;Sender`, which the SDKs prefer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, serializationError, toAwsError, unknownOperation } from '../errors';
import { excerpt, jsonExcerpt } from '../excerpt';
import { type ServiceModel, type Shape, shapeOf } from '../models';
import { type OperationTable, findHandler, runHandler } from '../operations';
import { elementPath, memberPath, validate } from '../validation';
import { queryErrorHeader } from './awsQuery';
import { decodedBody, readBody, type ServiceEndpoint, startErrorResponse } from './endpoint';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * How deep objects and arrays may nest in a request body. The deepest input the models define is 11
 * levels (Application Auto Scaling's); this leaves room for more, and refuses before parsing a body
 * built to exhaust the parser or whatever walks the result.
 */
export const MAX_JSON_DEPTH = 64;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function awsJsonEndpoint(model: ServiceModel, operations: OperationTable): ServiceEndpoint {
  const contentType = `application/x-amz-json-${model.jsonVersion ?? '1.1'}`;
  return {
    async handle(request, response, context) {
      const operation = operationOf(model, request);
      checkContentType(model, request, contentType);
      const handler = findHandler(model, operations, operation);
      const body = decodedBody(request, await readBody(request, MAX_BODY_BYTES, bodyTooLarge), MAX_BODY_BYTES, bodyTooLarge, () =>
        serializationError('The request body is not valid gzip'),
      );
      const input = parseInput(model, model.operations[operation].input, body);
      const output = await runHandler(handler, input, context, operation);
      writeJson(response, 200, context.requestId, JSON.stringify(output, toWireValue), contentType);
    },
    writeError(error, _request, response, context) {
      const awsError = toAwsError(error, 'InternalFailure', context.log, model.service);
      writeJsonError(response, awsError, context.requestId, contentType, model.queryErrorCodes && queryErrorHeader(model, awsError));
    },
  };
}

/** The JSON error shape, shared with rest-json (which uses the same header and body fields). */
export function writeJsonError(response: ServerResponse, error: AwsError, requestId: string, contentType = CONTENT_TYPE, queryError?: string): void {
  if (!startErrorResponse(response)) return;
  response.setHeader('x-amzn-ErrorType', error.code);
  if (queryError) response.setHeader('x-amzn-query-error', queryError);
  writeJson(response, error.status, requestId, JSON.stringify({ ...error.fields, __type: error.code, message: error.message }), contentType);
}

function writeJson(response: ServerResponse, status: number, requestId: string, body: string, contentType = CONTENT_TYPE): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  response.end(body);
}

function operationOf(model: ServiceModel, request: IncomingMessage): string {
  const target = String(request.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.', 2);
  if (request.method !== 'POST' || prefix !== model.targetPrefix || !operation || !Object.hasOwn(model.operations, operation)) {
    throw unknownOperation(target || `${request.method} ${request.url}`);
  }
  return operation;
}

/**
 * The protocol's one media type, or the request is refused before its body is read: every AWS
 * client sends it, and a page could send text/plain or a form without a CORS preflight. AWS's
 * JSON services answer another type with UnknownOperationException.
 */
function checkContentType(model: ServiceModel, request: IncomingMessage, expected: string): void {
  const sent = request.headers['content-type'];
  if (sent !== undefined && sent.split(';', 1)[0].trim().toLowerCase() === expected) return;
  throw new AwsError(
    'UnknownOperationException',
    400,
    `${model.service} requests must have Content-Type: ${expected}${sent === undefined ? ' (this one has none)' : `, not "${excerpt(sent)}"`}`,
  );
}

/** Whether objects and arrays nest more than `maxDepth` deep in a JSON text: one pass, no recursion. */
export function jsonNestsDeeperThan(body: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (inString) {
      if (byte === 0x5c) index++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

function bodyTooLarge(): AwsError {
  return new AwsError('RequestEntityTooLargeException', 413, `Request body must not exceed ${MAX_BODY_BYTES} bytes`);
}

function parseInput(model: ServiceModel, shapeName: string | undefined, body: Buffer): object {
  let json: unknown = {};
  if (body.length > 0) {
    if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) throw serializationError(`The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw serializationError('The request body is not valid JSON');
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw serializationError('The request body must be a JSON object');
  }
  if (!shapeName) return {};
  const input = fromJson(model, shapeOf(model, shapeName), json, '') as object;
  validate(model, shapeName, input);
  return input;
}

/** The JSON value as the shape's type (timestamps → Date, blobs → Buffer), unknown members dropped. */
function fromJson(model: ServiceModel, shape: Shape, value: unknown, path: string): unknown {
  const mismatch = (expected: string) => serializationError(`Expected ${expected} at '${excerpt(path)}' but got ${jsonExcerpt(value)}`);
  switch (shape.type) {
    case 'structure': {
      if (!isJsonObject(value)) throw mismatch('an object');
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const memberValue = value[name];
        // JSON null means "not set" in AWS's JSON protocols.
        if (memberValue === undefined || memberValue === null) continue;
        result[name] = fromJson(model, shapeOf(model, member.shape), memberValue, memberPath(path, name));
      }
      return result;
    }
    case 'list': {
      if (!Array.isArray(value)) throw mismatch('a list');
      const memberShape = shapeOf(model, shape.member.shape);
      return value.map((element, index) => fromJson(model, memberShape, element, elementPath(path, index)));
    }
    case 'map': {
      if (!isJsonObject(value)) throw mismatch('a map');
      const valueShape = shapeOf(model, shape.value.shape);
      return Object.fromEntries(
        Object.entries(value).map(([key, entry]) => [key, fromJson(model, valueShape, entry, `${path}.${key}`)]),
      );
    }
    case 'string':
      if (typeof value !== 'string') throw mismatch('a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch('a boolean');
      return value;
    case 'integer':
      if (!Number.isInteger(value) || (value as number) < INT32_MIN || (value as number) > INT32_MAX) throw mismatch('a 32-bit integer');
      return value;
    case 'long':
      if (!Number.isSafeInteger(value)) throw mismatch('a 64-bit integer');
      return value;
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch('a number');
      return value;
    case 'timestamp': {
      // Epoch seconds with a fraction; rounding drops float noise below the millisecond.
      const date = typeof value === 'number' ? new Date(Math.round(value * 1000)) : typeof value === 'string' ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw mismatch('a timestamp');
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw mismatch('base64 data');
      return Buffer.from(value, 'base64');
  }
}

/** `JSON.stringify` replacer: Date → epoch seconds, bytes → base64 (reads the holder, since Date.toJSON runs first). */
function toWireValue(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return original.getTime() / 1000;
  if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
  return value;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
