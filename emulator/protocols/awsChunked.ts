// Decoder of AWS's chunked upload encoding (`Content-Encoding: aws-chunked`), which the SDKs use for
// streamed request bodies (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER` or
// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`):
//
//   <hex size>[;chunk-signature=<sig>]\r\n <data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer name>:<value>\r\n]* \r\n
//
// Streams through in constant memory. Chunk signatures are not verified (the emulator accepts any
// credentials); trailing headers such as `x-amz-checksum-crc32` are handed to `onTrailers`.
import { Transform, type TransformCallback } from 'node:stream';
import { AwsError } from '../errors';

const CRLF = Buffer.from('\r\n');
/** Longest framing line accepted: a size with a chunk signature, or a trailer, is far shorter. */
const MAX_LINE_BYTES = 4096;

export function isAwsChunked(headers: { 'content-encoding'?: string; 'x-amz-content-sha256'?: string }): boolean {
  const encodings = (headers['content-encoding'] ?? '').split(',').map((encoding) => encoding.trim());
  return encodings.includes('aws-chunked') || (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/** `Content-Encoding` without the transfer-only `aws-chunked`, as S3 stores it. */
export function contentEncodingWithoutAwsChunked(contentEncoding: string | undefined): string | undefined {
  const rest = (contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding && encoding !== 'aws-chunked');
  return rest.length ? rest.join(', ') : undefined;
}

type State = 'size' | 'data' | 'dataEnd' | 'trailers' | 'done';

export class AwsChunkedDecoder extends Transform {
  private state: State = 'size';
  private line: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private decodedBytes = 0;
  private readonly trailers = new Map<string, string>();

  constructor(
    /** `x-amz-decoded-content-length`: the body must decode to exactly this many bytes. */
    private readonly decodedLength: number | undefined,
    private readonly onTrailers: (trailers: ReadonlyMap<string, string>) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== 'done') {
      callback(incompleteBody('The aws-chunked body ended before its final chunk'));
    } else if (this.decodedLength !== undefined && this.decodedBytes !== this.decodedLength) {
      callback(incompleteBody(`The body decoded to ${this.decodedBytes} bytes, not the ${this.decodedLength} of x-amz-decoded-content-length`));
    } else {
      this.onTrailers(this.trailers);
      callback();
    }
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        this.decodedBytes += take;
        if (this.remaining === 0) this.state = 'dataEnd';
        continue;
      }
      if (this.state === 'done') throw malformed('data after the final chunk');
      const end = chunk.indexOf(0x0a, offset);
      const piece = chunk.subarray(offset, end === -1 ? chunk.length : end + 1);
      offset += piece.length;
      this.line = this.line.length ? Buffer.concat([this.line, piece]) : piece;
      if (this.line.length > MAX_LINE_BYTES) throw malformed('framing line too long');
      if (end === -1) continue;
      if (!this.line.subarray(-2).equals(CRLF)) throw malformed('framing line not ended by CRLF');
      const text = this.line.toString('latin1', 0, this.line.length - 2);
      this.line = Buffer.alloc(0);
      this.handleLine(text);
    }
  }

  private handleLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const sizeText = text.split(';', 1)[0];
        if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`bad chunk size "${sizeText.slice(0, 32)}"`);
        this.remaining = parseInt(sizeText, 16);
        this.state = this.remaining === 0 ? 'trailers' : 'data';
        return;
      }
      case 'dataEnd':
        if (text !== '') throw malformed('chunk data longer than its size');
        this.state = 'size';
        return;
      case 'trailers': {
        if (text === '') {
          this.state = 'done';
          return;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw malformed('bad trailing header');
        this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
        return;
      }
      default:
        throw malformed('unexpected framing');
    }
  }
}

function malformed(detail: string): AwsError {
  return new AwsError('InvalidRequest', 400, `Malformed aws-chunked body: ${detail}`);
}

function incompleteBody(message: string): AwsError {
  return new AwsError('IncompleteBody', 400, message);
}
