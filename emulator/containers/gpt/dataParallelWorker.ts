// A worker thread of DataParallelWorkers: computes the gradients of its shards into their shared slots,
// with the SIMD kernels over the process's one WebAssembly memory (its own buffers in its own region).
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './dataParallel';
import { referenceKernels } from './model/layers';
import { GptModel } from './model/model';
import { ParameterLayout, type ModelWeights } from './model/parameters';
import { Arena, simdBackend, simdScratchFloats, WasmMemory } from './model/simdKernels';

const setup = workerData as WorkerSetup;
const layout = new ParameterLayout(setup.config);
const memory = WasmMemory.attach(setup.memory);
const arena = new Arena(memory, setup.regionStart, setup.regionEnd);
const scratch = arena.floats(simdScratchFloats(setup.config, setup.sequencesPerShard * setup.config.context));
const simd = simdBackend(memory, arena, scratch);
const model = new GptModel(layout, setup.sequencesPerShard, setup.javascriptKernels ? { ...simd, kernels: referenceKernels } : simd);
const weights = layout.views(new Float32Array(memory.buffer, setup.parameters, layout.size));
const length = setup.config.context;
const windowSize = length + 1;
const shardSize = setup.sequencesPerShard * windowSize;
const batch = new Int32Array(memory.buffer, setup.batch, (setup.endShard) * shardSize);
const evaluation = new Int32Array(memory.buffer, setup.evaluation);
const shards: Array<{ index: number; gradient: Float32Array; views: ModelWeights }> = [];
for (let index = setup.firstShard; index < setup.endShard; index++) {
  const gradient = new Float32Array(memory.buffer, setup.gradients + index * layout.size * 4, layout.size);
  shards.push({ index, gradient, views: layout.views(gradient) });
}

function handle(request: WorkerRequest): WorkerReply {
  switch (request.kind) {
    case 'gradients':
      return {
        kind: 'gradients',
        losses: shards.map(({ index, gradient, views }) => {
          gradient.fill(0);
          const tokens = batch.subarray(index * shardSize, (index + 1) * shardSize);
          return model.forwardBackward(weights, views, { tokens, sequences: setup.sequencesPerShard, length }, request.gradientScale);
        }),
      };
    case 'evaluate':
      return {
        kind: 'evaluate',
        losses: request.chunks.map(([start, sequences]) => {
          const tokens = evaluation.subarray(start * windowSize, (start + sequences) * windowSize);
          return model.loss(weights, { tokens, sequences, length });
        }),
      };
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = handle(request);
  } catch (error) {
    reply = { kind: 'error', message: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
