// Continuous batching for the model server: every stream being generated has a KV-cache slot, and each
// step runs one model pass over a row of every stream — its newly drawn token, or a chunk of its prompt
// — so that all streams share each layer's matrix products. A stream that arrives joins at the next
// step; one that ends or is cancelled leaves at once and frees its slot. Prompts are run in chunks
// (`prefillRows` rows of prompts per step at most), so that a long prompt does not stall the streams
// already generating. Each stream keeps its own parameters, stop sequences and seeded draws, and a
// row's results do not depend on the other rows of the pass (see the kernels), so a stream gives the
// very tokens it gives alone. Steps run one at a time with the event loop's turn between them, so
// /ping and new requests are answered within a step. With two threads, a pass of at least
// SPLIT_MIN_ROWS rows of several streams is shared with a second thread (passThreads.ts), each
// running the rows of some streams: the same bits.
import type { TensorBackend } from './model/backend';
import { GenerationStream, type GeneratedToken, type GenerationParameters, type GenerationResult } from './generation';
import { referenceKernels } from './model/layers';
import { GptModel, type ModelCapacity } from './model/model';
import { recordingBackend, ServingThread } from './passThreads';
import type { SavedModel } from './modelFiles';
import { ParameterLayout, type ModelConfig, type ModelWeights } from './model/parameters';
import { Arena, simdBackend, simdScratchFloats, SimdKernels, WasmMemory } from './model/simdKernels';
import type { BytePairTokenizer } from './tokenizer';

export interface BatcherOptions {
  /** Streams generating at once (KV-cache slots). */
  slots: number;
  /** Prompt rows run per step at most, over all streams (a step also runs one row per generating stream). */
  prefillRows: number;
  /** The JavaScript reference kernels instead of WebAssembly SIMD (a benchmark's baseline). */
  javascriptKernels?: boolean;
  /** 2: passes of SPLIT_MIN_ROWS rows or more are shared with a second thread (SIMD kernels only); default 1. */
  threads?: 1 | 2;
}

/** Fewer rows than this run on one thread: the threads' meeting points would cost more than half a pass saves. */
export const SPLIT_MIN_ROWS = 4;

/** Receives one stream's tokens; the last comes with the whole result. */
export interface StreamListener {
  token(token: GeneratedToken, result: GenerationResult | undefined): void;
  fail(error: Error): void;
}

export interface BatchedStream {
  /** Ends the stream now: it runs no further and its slot is free for the next step. */
  cancel(): void;
}

interface Entry {
  generation: GenerationStream;
  slot: number;
  listener: StreamListener;
}

export class ContinuousBatcher {
  readonly tokenizer: BytePairTokenizer;
  private readonly model: GptModel;
  private readonly weights: ModelWeights;
  private readonly context: number;
  private readonly vocabSize: number;
  /** Streams in order of arrival (which is also the order prompts get their rows). */
  private readonly streams = new Set<Entry>();
  private readonly freeSlots: number[];
  private scheduled = false;
  private readonly secondThread: ServingThread | undefined;
  /** The most streams that have had rows in one pass so far. */
  peakStreamsPerPass = 0;
  /** Passes shared with the second thread so far. */
  sharedPasses = 0;

  /**
   * Allocates from `arena` (growable WebAssembly memory), in which model.parameters may already lie, as
   * the archive loader puts them; otherwise they are copied in once.
   */
  constructor(model: SavedModel, private readonly options: BatcherOptions, arena: Arena = new Arena(WasmMemory.create(0, true))) {
    const layout = new ParameterLayout(model.config);
    const { slots, prefillRows } = options;
    if (!(Number.isInteger(slots) && slots >= 1 && Number.isInteger(prefillRows) && prefillRows >= 1)) {
      throw new RangeError(`slots and prefill rows must be positive integers, got ${slots} and ${prefillRows}`);
    }
    this.tokenizer = model.tokenizer;
    this.context = model.config.context;
    this.vocabSize = model.config.vocabSize;
    const capacity: ModelCapacity = { sequences: slots, rows: slots + prefillRows };
    const wasm = arena.memory!;
    let parameters = model.parameters;
    if (!(parameters.buffer instanceof SharedArrayBuffer)) {
      parameters = arena.floats(layout.size);
      parameters.set(model.parameters);
    }
    const scratchFloats = simdScratchFloats(model.config, capacity.rows);
    const simd = simdBackend(wasm, arena, arena.floats(scratchFloats));
    const shared = !options.javascriptKernels && options.threads === 2;
    const recorded = recordingBackend(options.javascriptKernels ? { ...simd, kernels: referenceKernels } : simd);
    const backend: TensorBackend = recorded.backend;
    this.model = new GptModel(layout, capacity, backend);
    this.weights = layout.views(parameters);
    if (!options.javascriptKernels) {
      prepackWeights(simd.kernels, this.weights, model.config, arena);
    }
    if (shared) {
      this.secondThread = new ServingThread({
        memory: wasm.memory, config: model.config, capacity, allocations: recorded.allocations, parameters: parameters.byteOffset,
        scratch: arena.floats(scratchFloats).byteOffset, scratchFloats, prepacked: simd.kernels.prepackedMatrices(), control: arena.ints(8).byteOffset,
      });
    }
    this.freeSlots = Array.from({ length: slots }, (_, slot) => slots - 1 - slot);
  }

  /** Ends the second thread, if there is one. */
  close(): void {
    this.secondThread?.close();
  }

  /** Streams generating now. */
  get active(): number {
    return this.streams.size;
  }

  /**
   * Starts a stream, which joins the batch at the next step. Throws a RangeError for an empty prompt
   * or parameters out of range, and an Error when every slot is taken.
   */
  start(prompt: string, parameters: GenerationParameters, listener: StreamListener): BatchedStream {
    const generation = new GenerationStream(this.tokenizer, this.context, prompt, parameters);
    const slot = this.freeSlots.pop();
    if (slot === undefined) {
      throw new Error(`all ${this.options.slots} generation slots are taken`);
    }
    const entry: Entry = { generation, slot, listener };
    this.streams.add(entry);
    this.schedule();
    return { cancel: () => this.leave(entry) };
  }

  private leave(entry: Entry): void {
    if (this.streams.delete(entry)) {
      this.freeSlots.push(entry.slot);
    }
  }

  private schedule(): void {
    if (!this.scheduled && this.streams.size > 0) {
      this.scheduled = true;
      setImmediate(() => this.step());
    }
  }

  /** One pass: a row for each generating stream, prompt chunks within the budget, then a draw for each stream whose rows are all run. */
  private step(): void {
    this.scheduled = false;
    let rows = 0;
    let streamsInPass = 0;
    let promptBudget = this.options.prefillRows;
    const drawing: Entry[] = [];
    const logitRows: number[] = [];
    for (const entry of this.streams) {
      const { generation } = entry;
      const count = generation.remaining === 1 ? 1 : Math.min(generation.remaining, promptBudget);
      if (count === 0) {
        continue;
      }
      if (generation.remaining > 1) {
        promptBudget -= count;
      }
      const { tokens, start } = generation.take(count);
      tokens.forEach((token, i) => this.model.setRow(rows + i, token, start + i, entry.slot));
      rows += count;
      streamsInPass++;
      if (generation.remaining === 0) {
        drawing.push(entry);
        logitRows.push(rows - 1);
      }
    }
    this.peakStreamsPerPass = Math.max(this.peakStreamsPerPass, streamsInPass);
    if (rows > 0) {
      try {
        const partner = rows >= SPLIT_MIN_ROWS ? this.secondThread : undefined;
        this.sharedPasses += partner ? 1 : 0;
        const logits = this.model.forwardCached(this.weights, rows, logitRows, partner);
        drawing.forEach((entry, i) => {
          const token = entry.generation.next(logits.subarray(i * this.vocabSize, (i + 1) * this.vocabSize));
          const result = entry.generation.result;
          if (result) {
            this.leave(entry);
          }
          entry.listener.token(token, result);
        });
      } catch (error) {
        for (const entry of [...this.streams]) {
          this.leave(entry);
          entry.listener.fail(error as Error);
        }
      }
    }
    this.schedule();
  }
}

/** Packs every matrix a forward pass multiplies by (linear layers, the tied output head) once. */
export function prepackWeights(kernels: SimdKernels, weights: ModelWeights, { width, vocabSize }: ModelConfig, arena: Arena): void {
  for (const block of weights.blocks) {
    kernels.prepackTransposed(block.attentionInput.weight as Float32Array, width, 3 * width, arena);
    kernels.prepackTransposed(block.attentionOutput.weight as Float32Array, width, width, arena);
    kernels.prepackTransposed(block.mlpUp.weight as Float32Array, width, 4 * width, arena);
    kernels.prepackTransposed(block.mlpDown.weight as Float32Array, 4 * width, width, arena);
  }
  kernels.prepackTransposed(weights.tokenEmbedding as Float32Array, width, vocabSize, arena);
}
