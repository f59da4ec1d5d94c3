// Decoder of AWS's chunked upload encoding (`Content-Encoding: aws-chunked`), which the SDKs use for
// streamed request bodies (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER` or
// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`):
//
//   <hex size>[;chunk-signature=<sig>]\r\n <data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//   [<trailer name>:<value>\r\n]* \r\n
//
// Streams through in constant memory. Chunk signatures are checked when the emulator verifies
// signatures (`ChunkSignatures`); trailing headers such as `x-amz-checksum-crc32` are handed to
// `onTrailers`.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AwsError } from '../errors';

/** Checks signed chunks, each signature chained to the one before; throws at the first bad one. */
export interface ChunkSignatures {
  /** `dataSha256`: hex SHA-256 of the chunk's data (of nothing for the final, empty chunk). */
  verifyChunk(signature: string | undefined, dataSha256: string): void;
  verifyTrailers(trailers: ReadonlyMap<string, string>): void;
}

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
  /** The current chunk's signature and the hash of its data so far, when signatures are checked. */
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;

  constructor(
    /** `x-amz-decoded-content-length`: the body must decode to exactly this many bytes. */
    private readonly decodedLength: number | undefined,
    private readonly onTrailers: (trailers: ReadonlyMap<string, string>) => void,
    private readonly signatures?: ChunkSignatures,
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
      try {
        this.signatures?.verifyTrailers(this.trailers);
        this.onTrailers(this.trailers);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    }
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - offset);
        const data = chunk.subarray(offset, offset + take);
        this.chunkHash?.update(data);
        this.push(data);
        offset += take;
        this.remaining -= take;
        this.decodedBytes += take;
        if (this.remaining === 0) this.endChunk('dataEnd');
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

  /** After a chunk's data (or the final, empty chunk): its signature is checked before going on. */
  private endChunk(next: State): void {
    if (this.chunkHash) this.signatures?.verifyChunk(this.chunkSignature, this.chunkHash.digest('hex'));
    this.state = next;
  }

  private handleLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const [sizeText, ...extensions] = text.split(';');
        if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`bad chunk size "${sizeText.slice(0, 32)}"`);
        this.remaining = parseInt(sizeText, 16);
        if (this.signatures) {
          this.chunkSignature = extensions.find((extension) => extension.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
          this.chunkHash = createHash('sha256');
        }
        if (this.remaining === 0) this.endChunk('trailers');
        else this.state = 'data';
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
