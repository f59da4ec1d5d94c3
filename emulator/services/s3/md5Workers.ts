// The MD5 of every stored body (its ETag), computed on worker threads while the body streams. MD5 is
// the emulator's costliest work per byte (~600 MB/s on one core, a stream that cannot be split), so
// on the main thread it would cap every upload; on a worker it runs beside the request's socket and
// file work, and concurrent uploads hash on several cores.
//
// Bytes reach a worker in 1 MiB batches whose memory is transferred, not copied, and comes back
// once hashed to take the next batch, so the batches in flight are the only memory it costs: at most
// MAX_PENDING_BYTES per body, which waits when it arrives faster than it hashes.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const BATCH_BYTES = 1024 * 1024;
const MAX_PENDING_BYTES = 4 * BATCH_BYTES;
/** Hashed batches kept for reuse; more are left to the garbage collector. */
const MAX_FREE_BATCHES = 8;
/** One core stays for the main thread; more than four would be more than concurrent uploads use. */
const MAX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

/**
 * The worker's code, evaluated (the emulator ships as one bundled file, so a worker has no file of
 * its own to load). Messages: `{ id, data, length }` hashes the first `length` bytes of `data` and
 * hands `data` back, `{ id }` ends with the digest, `{ id, cancel }` drops the body.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', ({ id, data, length, cancel }) => {
  if (cancel) return void hashes.delete(id);
  let hash = hashes.get(id);
  if (!hash) hashes.set(id, (hash = createHash('md5')));
  if (data) {
    hash.update(new Uint8Array(data, 0, length));
    parentPort.postMessage({ id, hashed: length, data }, [data]);
  } else {
    hashes.delete(id);
    parentPort.postMessage({ id, md5: hash.digest() });
  }
});`;

interface WorkerReply {
  id: number;
  hashed?: number;
  /** A hashed batch's memory, back for reuse. */
  data?: ArrayBuffer;
  md5?: Uint8Array;
}

/** What a worker knows of one body in progress. */
interface BodyState {
  pending: number;
  /** Called when the body's pending bytes drop below the limit. */
  resume?: () => void;
  /** Called with the digest, or the error that stopped the worker. */
  settle?: (result: Buffer | Error) => void;
}

const freeBatches: ArrayBuffer[] = [];

function takeBatch(): Buffer {
  return Buffer.from(freeBatches.pop() ?? new ArrayBuffer(BATCH_BYTES));
}

class Md5Worker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly bodies = new Map<number, BodyState>();
  failed: Error | undefined;

  constructor() {
    // Idle workers must not keep the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.receive(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the MD5 worker exited with code ${code}`)));
  }

  get load(): number {
    return this.bodies.size;
  }

  start(id: number): BodyState {
    const state: BodyState = { pending: 0 };
    if (this.bodies.size === 0) this.worker.ref();
    this.bodies.set(id, state);
    return state;
  }

  /** Hands the first `length` bytes of `data` over; `data` is the worker's until it comes back. */
  send(id: number, data: ArrayBuffer, length: number): void {
    const state = this.bodies.get(id);
    if (!state) return;
    state.pending += length;
    this.worker.postMessage({ id, data, length }, [data]);
  }

  finish(id: number): void {
    this.worker.postMessage({ id });
  }

  cancel(id: number): void {
    if (!this.bodies.has(id)) return;
    this.worker.postMessage({ id, cancel: true });
    this.forget(id);
  }

  private receive({ id, hashed, data, md5 }: WorkerReply): void {
    if (data && freeBatches.length < MAX_FREE_BATCHES) freeBatches.push(data);
    const state = this.bodies.get(id);
    if (!state) return;
    if (hashed !== undefined) {
      state.pending -= hashed;
      if (state.pending < MAX_PENDING_BYTES && state.resume) {
        state.resume();
        state.resume = undefined;
      }
      return;
    }
    this.forget(id);
    state.settle?.(Buffer.from(md5 as Uint8Array));
  }

  private forget(id: number): void {
    this.bodies.delete(id);
    if (this.bodies.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const state of this.bodies.values()) {
      state.resume?.();
      state.settle?.(error);
    }
    this.bodies.clear();
  }
}

const workers: Md5Worker[] = [];
let nextId = 0;

/** The least busy worker (a failed one is replaced). */
function pickWorker(): Md5Worker {
  for (let index = 0; index < workers.length; index++) if (workers[index].failed) workers[index] = new Md5Worker();
  if (workers.length < MAX_WORKERS && workers.every((worker) => worker.load > 0)) workers.push(new Md5Worker());
  return workers.reduce((best, worker) => (worker.load < best.load ? worker : best));
}

/**
 * The MD5 of a stream of bytes, fed in order. A body that ends within its first batch is hashed
 * right here: a worker's round trip would cost more than it saves.
 */
export class StreamedMd5 {
  private readonly id = nextId++;
  private worker: Md5Worker | undefined;
  private state: BodyState | undefined;
  private batch: Buffer | undefined;
  private batched = 0;

  /**
   * Takes the next bytes (copied: the caller keeps `data`). Returns a promise when the worker is too
   * far behind, to be awaited before more bytes are given.
   */
  update(data: Uint8Array): Promise<void> | undefined {
    for (let offset = 0; offset < data.length; ) {
      this.batch ??= takeBatch();
      const taken = Math.min(data.length - offset, BATCH_BYTES - this.batched);
      this.batch.set(data.subarray(offset, offset + taken), this.batched);
      this.batched += taken;
      offset += taken;
      if (this.batched === BATCH_BYTES) this.flush();
    }
    const state = this.state;
    if (!state || state.pending < MAX_PENDING_BYTES || this.worker?.failed) return undefined;
    return new Promise((resolve) => (state.resume = resolve));
  }

  /** The digest of all the bytes given. */
  async digest(): Promise<Buffer> {
    if (!this.worker) {
      const digest = createHash('md5').update(this.batch?.subarray(0, this.batched) ?? Buffer.alloc(0)).digest();
      this.release();
      return digest;
    }
    this.flush();
    const worker = this.worker;
    const state = this.state as BodyState;
    const result = await new Promise<Buffer | Error>((resolve) => {
      state.settle = resolve;
      if (worker.failed) resolve(worker.failed);
      else worker.finish(this.id);
    });
    if (result instanceof Error) throw result;
    return result;
  }

  /** Stops hashing (the body failed). */
  cancel(): void {
    this.worker?.cancel(this.id);
    this.release();
  }

  private flush(): void {
    if (!this.batch || this.batched === 0) return;
    if (!this.worker) {
      this.worker = pickWorker();
      this.state = this.worker.start(this.id);
    }
    this.worker.send(this.id, this.batch.buffer as ArrayBuffer, this.batched);
    this.batch = undefined;
    this.batched = 0;
  }

  /** Puts back a batch that never went to a worker. */
  private release(): void {
    if (this.batch && freeBatches.length < MAX_FREE_BATCHES) freeBatches.push(this.batch.buffer as ArrayBuffer);
    this.batch = undefined;
    this.batched = 0;
  }
}
