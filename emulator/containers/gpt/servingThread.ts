// The second thread of the model server (passThreads.ts): a GptModel over the server model's own
// tensors in the shared WebAssembly memory, which runs its share of every pass the server splits.
import { workerData } from 'node:worker_threads';
import { GptModel } from './model/model';
import { ParameterLayout } from './model/parameters';
import { SimdKernels, WasmMemory } from './model/simdKernels';
import { CONTROL, type Allocation, type ServingThreadSetup } from './passThreads';

const setup = workerData as ServingThreadSetup;
const memory = WasmMemory.attach(setup.memory);
const buffer = memory.buffer;
const kernels = new SimdKernels(memory, new Float32Array(buffer, setup.scratch, setup.scratchFloats));
kernels.adoptPrepacked(setup.prepacked);
const allocations = setup.allocations.slice().reverse();
const take = (kind: Allocation['kind'], count: number): Allocation => {
  const next = allocations.pop();
  if (!next || next.kind !== kind || next.length !== count) {
    throw new Error(`the serving thread's model does not match the server's (${kind}[${count}] asked, ${next ? `${next.kind}[${next.length}]` : 'nothing'} noted)`);
  }
  return next;
};
const layout = new ParameterLayout(setup.config);
const model = new GptModel(layout, setup.capacity, {
  kernels,
  floats: (count) => new Float32Array(buffer, take('floats', count).byteOffset, count),
  ints: (count) => new Int32Array(buffer, take('ints', count).byteOffset, count),
});
const weights = layout.views(new Float32Array(buffer, setup.parameters, layout.size));
const control = new Int32Array(buffer, setup.control, CONTROL.ints);

for (let passes = 0; ;) {
  Atomics.wait(control, CONTROL.go, passes);
  if (Atomics.load(control, CONTROL.stop) !== 0) {
    break;
  }
  const go = Atomics.load(control, CONTROL.go);
  if (go === passes) {
    continue;
  }
  passes = go;
  try {
    model.runCachedShare(weights, { from: control[CONTROL.from], to: control[CONTROL.to], logitFrom: control[CONTROL.logitFrom], logitTo: control[CONTROL.logitTo] });
  } catch (error) {
    console.error(`the serving thread failed its share of a pass: ${(error as Error).stack ?? String(error)}`);
    Atomics.store(control, CONTROL.failed, 1);
  }
  Atomics.store(control, CONTROL.done, passes);
  Atomics.notify(control, CONTROL.done);
}
