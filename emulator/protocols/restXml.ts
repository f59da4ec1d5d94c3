// REST-XML (S3): the operation comes from method + URI template + query literals; input and output
// members bind to labels, query parameters and headers (httpBindings); the rest is an XML body, or a
// streamed payload. Errors are `<Error><Code/><Message/>...<Resource/><RequestId/></Error>`.
// When signatures are verified, bodies are checked against what the signature covers as they are read.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { XMLParser } from 'fast-xml-parser';
import { checkPayloadHash, type PayloadSignature, PayloadHashCheck } from '../auth/payloadSignatures';
import type { SignatureVerifier } from '../auth/signatureV4';
import { AwsError, toAwsError } from '../errors';
import { type OperationModel, type ServiceModel, type Shape, type StructureShape, shapeOf, structureOf } from '../models';
import { type OperationTable, type RequestContext, findHandler, runHandler } from '../operations';
import { splitUrl } from '../routing';
import { BlobStream } from '../store/blobs';
import { AwsChunkedDecoder, contentEncodingWithoutAwsChunked, isAwsChunked } from './awsChunked';
import { readBody, type ServiceEndpoint, startErrorResponse } from './endpoint';
import { buildXml, escapeXmlText, malformedXml, shapeToXml } from './xml';
import { compileRoutes, matchRoute, readBoundMembers, type RequestParts, textToValue, writeBoundMembers } from './httpBindings';

/** XML request bodies are small configuration documents (the largest, DeleteObjects, is ~1 MB). */
const MAX_XML_BODY_BYTES = 4 * 1024 * 1024;

// htmlEntities: numeric character references (&#34;, &#x22;) are decoded as XML requires, not only
// the five named entities: Go's XML encoder (rclone's) writes ETags as &#34;…&#34;. The HTML names it
// also decodes (&nbsp;…) are no XML and appear in no client's request.
const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, removeNSPrefix: true, htmlEntities: true });

/**
 * The service's check of a body whose operation requires a checksum (the httpChecksumRequired trait:
 * S3's Content-MD5 or one x-amz-checksum-* header); the service owns the algorithms and error words.
 */
export type RequiredChecksumCheck = (headers: IncomingHttpHeaders, body: Buffer) => Promise<void>;

export function restXmlEndpoint(model: ServiceModel, operations: OperationTable, checkRequiredChecksum: RequiredChecksumCheck, signatures?: SignatureVerifier): ServiceEndpoint {
  const routes = compileRoutes(model);
  return {
    async handle(request, response, context) {
      setRequestIdHeaders(response, context);
      const { path, query } = splitUrl(request.url);
      const parts: RequestParts = { method: request.method ?? 'GET', path, query, headers: request.headers };
      const match = matchRoute(routes, parts);
      if (!match) {
        throw new AwsError('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
          Method: parts.method,
        });
      }
      const handler = findHandler(model, operations, match.operation);
      const operation = model.operations[match.operation];
      const input = await readInput(model, operation, request, { ...parts, labels: match.labels }, checkRequiredChecksum, signatures);
      const output = await runHandler(handler, input, context, match.operation);
      await writeOutput(model, operation, output as Record<string, unknown>, request, response);
    },
    writeError(error, request, response, context) {
      const awsError = toAwsError(error, 'InternalError', context.log, model.service);
      if (!startErrorResponse(response)) return;
      setRequestIdHeaders(response, context);
      const document = {
        Error: {
          Code: awsError.code,
          Message: escapeXmlText(awsError.message),
          ...mapValues(awsError.details, escapeXmlText),
          Resource: escapeXmlText(resourceOf(request)),
          RequestId: context.requestId,
        },
      };
      // HEAD answers and 304 Not Modified have no body.
      writeXml(response, awsError.status, request.method === 'HEAD' || awsError.status === 304 ? undefined : document);
    },
  };
}

function setRequestIdHeaders(response: ServerResponse, context: RequestContext): void {
  response.setHeader('x-amz-request-id', context.requestId);
  response.setHeader('x-amz-id-2', randomBytes(24).toString('base64'));
}

function invalidArgument(message: string): AwsError {
  return new AwsError('InvalidArgument', 400, message);
}

async function readInput(
  model: ServiceModel,
  operation: OperationModel,
  request: IncomingMessage,
  parts: RequestParts & { labels: Record<string, string> },
  checkRequiredChecksum: RequiredChecksumCheck,
  signatures: SignatureVerifier | undefined,
): Promise<Record<string, unknown>> {
  if (!operation.input) return {};
  const shape = structureOf(model, operation.input);
  const input = readBoundMembers(model, shape, parts, invalidArgument);
  const payloadName = shape.payload;
  if (!payloadName) return input;
  const payload = shape.members[payloadName];
  const payloadShape = shapeOf(model, payload.shape);
  const payloadSignature = signatures ? await signatures.payloadSignature(request) : {};
  if (payloadShape.type === 'blob' && (payload.streaming || payloadShape.streaming)) {
    input[payloadName] = streamingBody(model, shape, input, request, payloadSignature);
    return input;
  }
  const body = await readBody(request, MAX_XML_BODY_BYTES, () => new AwsError('MaxMessageLengthExceeded', 400, 'Your request was too big.'));
  if (payloadSignature.sha256 !== undefined) checkPayloadHash(body, payloadSignature.sha256);
  if (operation.checksumRequired) await checkRequiredChecksum(request.headers, body);
  if (body.length === 0) return input;
  if (payloadShape.type !== 'structure') {
    input[payloadName] = payloadShape.type === 'blob' ? body : body.toString('utf8');
    return input;
  }
  let document: Record<string, unknown>;
  try {
    document = xmlParser.parse(body.toString('utf8'), true) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
  const root = payload.locationName ?? payload.shape;
  if (!(root in document)) throw malformedXml();
  input[payloadName] = fromXml(model, payloadShape, document[root]);
  return input;
}

/**
 * The request body as the streaming payload. An `aws-chunked` body is decoded on the way; its
 * decoded length replaces Content-Length, and its trailing headers (checksums) are bound into the
 * input like headers once the body has been read to its end.
 */
function streamingBody(
  model: ServiceModel,
  shape: StructureShape,
  input: Record<string, unknown>,
  request: IncomingMessage,
  payloadSignature: PayloadSignature,
): Readable {
  if (!isAwsChunked(request.headers)) {
    return payloadSignature.sha256 === undefined ? request : throughTransform(request, new PayloadHashCheck(payloadSignature.sha256));
  }
  const decodedLength = request.headers['x-amz-decoded-content-length'];
  const expected = decodedLength === undefined ? undefined : Number(decodedLength);
  if (expected !== undefined && !Number.isSafeInteger(expected)) throw invalidArgument('x-amz-decoded-content-length must be an integer');
  const decoder = new AwsChunkedDecoder(
    expected,
    (trailers) => {
      const parts = { method: '', path: '', query: new URLSearchParams(), headers: Object.fromEntries(trailers), labels: {} };
      Object.assign(input, readBoundMembers(model, shape, parts, invalidArgument));
    },
    payloadSignature.chunks,
  );
  input.ContentLength = expected;
  input.ContentEncoding = contentEncodingWithoutAwsChunked(input.ContentEncoding as string | undefined);
  return throughTransform(request, decoder);
}

/** The request body read through `transform`. */
function throughTransform(request: IncomingMessage, transform: Transform): Transform {
  // Not `pipeline`: a failing transform must leave the request (and its socket) alive for the error response.
  request.pipe(transform);
  request.once('error', (error) => transform.destroy(error));
  // Errors reach the handler when it reads; until it starts, they must not count as unhandled.
  transform.on('error', () => {});
  return transform;
}

async function writeOutput(
  model: ServiceModel,
  operation: OperationModel,
  output: Record<string, unknown>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const shape = operation.output ? structureOf(model, operation.output) : undefined;
  response.statusCode = operation.http?.status ?? 200;
  writeBoundMembers(model, shape, output, response);
  // HTTP: a response carrying part of a representation is 206 Partial Content.
  if (response.hasHeader('Content-Range')) response.statusCode = 206;
  const payload = shape?.payload && shape.members[shape.payload];
  const payloadValue = shape?.payload && output[shape.payload];
  if (payload && payloadValue instanceof Readable) {
    if (request.method === 'HEAD') {
      payloadValue.destroy();
      response.end();
      return;
    }
    await sendStream(payloadValue, response);
    return;
  }
  let document: Record<string, unknown> | undefined;
  if (payload && payloadValue !== undefined) {
    document = { [payload.locationName ?? payload.shape]: shapeToXml(model, shapeOf(model, payload.shape), payloadValue) };
  } else if (shape && operation.xmlRoot && isTextRoot(shape, operation.xmlRoot)) {
    // GetBucketLocation: the root element is the member, its text the value (empty for us-east-1).
    const value = output[operation.xmlRoot];
    document = { [operation.xmlRoot]: { '@_xmlns': model.xmlNamespace, ...(value !== undefined && { '#text': shapeToXml(model, shapeOf(model, shape.members[operation.xmlRoot].shape), value) }) } };
  } else if (shape && operation.xmlRoot && hasBodyMembers(shape)) {
    // A body with nothing set is still its root element (<BucketLoggingStatus/>), as S3 answers.
    document = { [operation.xmlRoot]: { '@_xmlns': model.xmlNamespace, ...(shapeToXml(model, shape, output) as object) } };
  }
  writeXml(response, response.statusCode, request.method === 'HEAD' ? undefined : document);
}

/**
 * Streams a payload to the client. A client that closes the connection before the end (it may do so
 * as soon as it has Content-Length bytes, before the stream has signalled its end) is no failure.
 */
async function sendStream(payload: Readable, response: ServerResponse): Promise<void> {
  if (payload instanceof BlobStream) return payload.writeTo(response);
  try {
    await pipeline(payload, response);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

/** Whether the output has members in its body at all (PutObject's, all headers, has none). */
function hasBodyMembers(shape: StructureShape): boolean {
  return Object.values(shape.members).some((member) => !member.location);
}

/** An output whose one body member is named as the root element: the root holds the value as text. */
function isTextRoot(shape: StructureShape, root: string): boolean {
  const body = Object.entries(shape.members).filter(([, member]) => !member.location);
  return body.length === 1 && body[0][0] === root;
}

function writeXml(response: ServerResponse, status: number, document: Record<string, unknown> | undefined): void {
  response.statusCode = status;
  if (document === undefined) {
    if (!response.hasHeader('Content-Length')) response.setHeader('Content-Length', 0);
    response.end();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${buildXml(document)}`;
  response.setHeader('Content-Type', 'application/xml');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

/** An XML element parsed by fast-xml-parser as a value of the shape's type. */
function fromXml(model: ServiceModel, shape: Shape, node: unknown): unknown {
  switch (shape.type) {
    case 'structure': {
      if (typeof node !== 'object' || node === null) return {};
      const element = node as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const child = element[member.locationName ?? name];
        if (child === undefined) continue;
        const memberShape = shapeOf(model, member.shape);
        result[name] =
          memberShape.type === 'list' && (memberShape.flattened || member.flattened)
            ? asArray(child).map((item) => fromXml(model, shapeOf(model, memberShape.member.shape), item))
            : fromXml(model, memberShape, child);
      }
      return result;
    }
    case 'list': {
      const items = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[shape.member.locationName ?? 'member'] : undefined;
      return asArray(items).map((item) => fromXml(model, shapeOf(model, shape.member.shape), item));
    }
    case 'map':
      // S3's XML bodies have no map-typed members.
      throw malformedXml();
    default:
      if (typeof node !== 'string') throw malformedXml();
      return textToValue(shape, node, 'XML element', () => malformedXml());
  }
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The S3 `<Resource>` of an error: the request path, decoded. */
function resourceOf(request: IncomingMessage): string {
  const { path } = splitUrl(request.url);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function mapValues(record: Readonly<Record<string, string>>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
