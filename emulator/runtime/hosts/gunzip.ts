// Gunzip for model-sized archives, shared by the model loader and the runtime's tarball extraction.
// Node's zlib stream is ~3× slower on them when fed and drained in the 16–64 KiB pieces of zlib's
// and HTTP's defaults (one thread-pool round trip per piece): it gets whole MiBs both ways instead.
import { Transform } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

const CHUNK_BYTES = 1024 * 1024;

/** The two stages to put in a pipeline in place of a plain createGunzip(). */
export function gunzipStages(): [Transform, Gunzip] {
  return [coalesce(CHUNK_BYTES), createGunzip({ chunkSize: CHUNK_BYTES })];
}

/** Joins small chunks into ones of at least `bytes`; a chunk that big already passes as it is. */
function coalesce(bytes: number): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  const take = (): Buffer => {
    const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    return joined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      size += chunk.length;
      done(null, size >= bytes ? take() : undefined);
    },
    flush(done) {
      done(null, size > 0 ? take() : undefined);
    },
  });
}
