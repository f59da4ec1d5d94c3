// A worker thread of DataParallelWorkers: computes the gradients of its shards into their shared slots.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './dataParallel';
import { GptModel } from './model';
import { ParameterLayout, type ModelWeights } from './parameters';

const setup = workerData as WorkerSetup;
const layout = new ParameterLayout(setup.config);
const model = new GptModel(layout, setup.sequencesPerShard);
const weights = layout.views(new Float32Array(setup.parameters));
const batch = new Int32Array(setup.batch);
const evaluation = new Int32Array(setup.evaluation);
const length = setup.config.context;
const windowSize = length + 1;
const shardSize = setup.sequencesPerShard * windowSize;
const shards: Array<{ index: number; gradient: Float32Array; views: ModelWeights }> = [];
for (let index = setup.firstShard; index < setup.endShard; index++) {
  const gradient = new Float32Array(setup.gradients, index * layout.size * 4, layout.size);
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
