// The contract between the app and a protocol implementation serving one AWS service.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AwsError } from '../errors';
import type { RequestContext } from '../operations';

export interface ServiceEndpoint {
  /** Serves one request; anything thrown goes to `writeError`. */
  handle(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void>;
  /** The protocol's one error serialiser: writes `error` in the service's wire format. */
  writeError(error: unknown, request: IncomingMessage, response: ServerResponse, context: RequestContext): void;
}

/**
 * Clears what a failed success path may have set (but the front door's CORS headers, which an
 * allowed page needs to read the error too); false if the response has already started, in which
 * case the connection is cut, the only way left to tell the client something went wrong.
 */
export function startErrorResponse(response: ServerResponse): boolean {
  if (response.headersSent) {
    response.destroy();
    return false;
  }
  for (const name of response.getHeaderNames()) {
    if (!name.startsWith('access-control-') && name !== 'vary') response.removeHeader(name);
  }
  return true;
}

/** Reads a whole (small) request body, refusing more than `maxBytes`. */
export async function readBody(request: IncomingMessage, maxBytes: number, tooLarge: () => AwsError): Promise<Buffer> {
  if (Number(request.headers['content-length']) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early must not destroy the request: its socket still carries the error response.
  for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A body sent with `Content-Encoding: gzip` (the SDKs compress large PutMetricData requests), inflated
 * to at most `maxBytes`; any other body as it is.
 */
export function decodedBody(request: IncomingMessage, body: Buffer, maxBytes: number, tooLarge: () => AwsError, malformed: () => AwsError): Buffer {
  if (!/\bgzip\b/i.test(String(request.headers['content-encoding'] ?? ''))) return body;
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : malformed();
  }
}
