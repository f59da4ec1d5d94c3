// Two threads share a serving pass (batcher.ts): a worker thread (servingThread.ts) holds a GptModel
// over the very same tensors as the server's — the same WebAssembly memory, its allocations replayed
// address for address — and runs the rows of some cache slots from the first stage to the last while
// this thread runs the others' (GptModel.forwardCached splits a pass at a slot boundary). A row reads
// and writes only its own activations and its own slot's cache, so each row gets the same float32
// operations as on one thread: the same bits. The threads meet once a pass, on counters in the shared
// memory (Atomics.wait/notify). A pass of one prompt's rows only (one slot) is not split: its rows
// need each other's keys and values layer by layer, and meeting at every layer cost more than it saved
// on this loaded machine (measured: a 64-row chunk ×0.7–0.9 of one thread's speed). Measured here,
// even one meeting a pass does not pay (eight streams ×0.8–1.0): the server's default is one thread.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TensorBackend } from './model/backend';
import type { FloatArray } from './model/kernels';
import type { ModelCapacity, PassPartner, PassShare } from './model/model';
import type { ModelConfig } from './model/parameters';
import type { PrepackedMatrix } from './model/simdKernels';

/** Int32 slots of the control block in shared memory: pass counters, the worker's share, flags. */
export const CONTROL = { go: 0, done: 1, from: 2, to: 3, logitFrom: 4, logitTo: 5, failed: 6, stop: 7, ints: 8 } as const;

/** How long the server thread waits for the other's share before it takes it for gone. */
export const SHARE_TIMEOUT_MS = 60_000;

/** A tensor a GptModel allocated: where it lies in the memory and its length. */
export interface Allocation {
  kind: 'floats' | 'ints';
  byteOffset: number;
  length: number;
}

export interface ServingThreadSetup {
  memory: WebAssembly.Memory;
  config: ModelConfig;
  capacity: ModelCapacity;
  /** The server model's allocations in order, for the thread's model to take the same tensors. */
  allocations: Allocation[];
  parameters: number;
  /** The thread's own kernel scratch. */
  scratch: number;
  scratchFloats: number;
  prepacked: PrepackedMatrix[];
  control: number;
}

/** A backend that hands out what `backend` does, noting each tensor so that another thread can take the same ones. */
export function recordingBackend(backend: TensorBackend): { backend: TensorBackend; allocations: Allocation[] } {
  const allocations: Allocation[] = [];
  const note = <T extends FloatArray | Int32Array>(kind: Allocation['kind'], array: T): T => {
    allocations.push({ kind, byteOffset: array.byteOffset, length: array.length });
    return array;
  };
  return {
    allocations,
    backend: { kernels: backend.kernels, floats: (count) => note('floats', backend.floats(count)), ints: (count) => note('ints', backend.ints(count)) },
  };
}

/** The server's side: starts the thread, and hands it its share of each pass it splits. */
export class ServingThread implements PassPartner {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private alive = true;
  private passes = 0;

  constructor(setup: ServingThreadSetup) {
    this.control = new Int32Array(setup.memory.buffer, setup.control, CONTROL.ints);
    this.control.fill(0);
    this.worker = new Worker(path.join(__dirname, 'servingThread.js'), { workerData: setup });
    this.worker.on('error', (error) => {
      this.alive = false;
      console.error(`the second serving thread failed, passes run on one thread from now on: ${error.message}`);
    });
    this.worker.on('exit', () => (this.alive = false));
    this.worker.unref();
  }

  run(here: PassShare, there: PassShare, runHere: (share: PassShare) => void): void {
    if (!this.alive) {
      runHere(here);
      runHere(there);
      return;
    }
    const control = this.control;
    control[CONTROL.from] = there.from;
    control[CONTROL.to] = there.to;
    control[CONTROL.logitFrom] = there.logitFrom;
    control[CONTROL.logitTo] = there.logitTo;
    this.passes++;
    Atomics.store(control, CONTROL.go, this.passes);
    Atomics.notify(control, CONTROL.go);
    let failure: unknown;
    try {
      runHere(here);
    } catch (error) {
      failure = error;
    }
    // Even after a failure here, the other share is waited for: the next pass must not overlap it.
    const started = Date.now();
    for (let done = Atomics.load(control, CONTROL.done); done < this.passes; done = Atomics.load(control, CONTROL.done)) {
      if (Date.now() - started > SHARE_TIMEOUT_MS) {
        this.alive = false;
        throw new Error(`the second serving thread did not finish its share of a pass within ${SHARE_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(control, CONTROL.done, done, 100);
    }
    if (failure !== undefined) {
      throw failure;
    }
    if (Atomics.exchange(control, CONTROL.failed, 0) !== 0) {
      throw new Error('the second serving thread failed its share of a pass (its error is on its standard error)');
    }
  }

  /** Ends the thread. */
  close(): void {
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.notify(this.control, CONTROL.go);
    void this.worker.terminate();
  }
}
