// `node out/bench/modelLoad.js`: loading a built-in GPT model for serving — model.tar.gz, written by
// the training runtime's own uploadTarGz, from the emulator's S3 to loaded weights — against a raw
// read of the same object in the same run. Target: load throughput ≥ 0.8 of the raw read. Two raw
// reads are printed: the chunks read and dropped (reused buffers: the storage and the network alone),
// and the chunks copied into a fresh buffer of the object's size (what holding the object in memory
// costs here: a first write to fresh pages, which this virtual machine makes slow). Rows: the
// archive streamed into the weights in WebAssembly memory (loadModelFromTarGz into a growable arena:
// what the model server does with SM_EMULATOR_MODEL_ARCHIVE); extracted to a folder first (downloadTarGz, then loadModel: the
// SM_MODEL_DIR path); and, for comparison, a user's own model.tar.gz at gzip's default level.
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { loadModel, loadModelFromTarGz, saveModel, type SavedModel } from '../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../emulator/containers/gpt/model/parameters';
import { Random } from '../../emulator/containers/gpt/model/random';
import { Arena, WasmMemory } from '../../emulator/containers/gpt/model/simdKernels';
import { BytePairTokenizer } from '../../emulator/containers/gpt/tokenizer';
import { downloadTarGz, uploadTarGz } from '../../emulator/runtime/hosts/s3Transfer';
import { startEmulatorProcess } from '../../harness/emulatorProcess';
import { median } from '../stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = 5;
// About 25 M parameters (100 MB of weights): big enough that fixed costs do not dominate.
const CONFIG: ModelConfig = { vocabSize: 512, layers: 8, heads: 8, width: 512, context: 256 };
const BUCKET = 'bench-models';
const RUNTIME_KEY = 'model.tar.gz';
const USER_KEY = 'user-gzip-6/model.tar.gz';
const MIB = 1024 * 1024;

/** Where the model server puts the weights: a fresh, growable WebAssembly memory. */
function intoWasmMemory(): (floats: number) => Float32Array {
  const arena = new Arena(WasmMemory.create(0, true));
  return (floats) => arena.floats(floats);
}

/** Reads a stream whole into a buffer of `bytes` allocated for it: a raw read that keeps the object. */
async function readIntoFreshBuffer(body: Readable, bytes: number): Promise<void> {
  const target = new Uint8Array(new ArrayBuffer(bytes));
  let filled = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    target.set(chunk, filled);
    filled += chunk.length;
  }
  if (filled !== bytes) {
    throw new Error(`read ${filled} bytes of ${bytes}`);
  }
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-model-load-'));
  const emulator = await startEmulatorProcess();
  try {
    const layout = new ParameterLayout(CONFIG);
    const parameters = new Float32Array(layout.size);
    initializeParameters(layout, parameters, Random.fromSeed(1));
    const tokenizer = BytePairTokenizer.train([Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(200))], 300);
    const modelDir = path.join(scratch, 'model');
    await saveModel(modelDir, { config: CONFIG, tokenizer, parameters });

    const s3 = new S3Client({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // As the training runtime writes ModelArtifacts…
    await uploadTarGz(s3, modelDir, { bucket: BUCKET, key: RUNTIME_KEY });
    // …and as a user's `tar -czf` would (gzip's default level 6).
    const userArchive = path.join(scratch, 'user.tar.gz');
    await tar.create({ gzip: { level: 6 }, file: userArchive, cwd: modelDir, portable: true }, ['.']);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: USER_KEY, Body: readFileSync(userArchive) }));
    const sizeOf = async (key: string) => (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength!;
    const runtimeBytes = await sizeOf(RUNTIME_KEY);
    const userBytes = await sizeOf(USER_KEY);

    const get = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body as Readable;
    const check = (model: SavedModel): void => {
      if (!Buffer.from(model.parameters.buffer, model.parameters.byteOffset, model.parameters.byteLength).equals(Buffer.from(parameters.buffer))) {
        throw new Error('loaded other weights');
      }
    };
    let round = 0;
    const ways: Array<{ name: string; key: string; run: (key: string) => Promise<void> }> = [
      { name: 'raw', key: RUNTIME_KEY, run: async (key) => { for await (const chunk of await get(key)) void chunk; } },
      { name: 'raw fresh', key: RUNTIME_KEY, run: async (key) => readIntoFreshBuffer(await get(key), runtimeBytes) },
      { name: 'streamed', key: RUNTIME_KEY, run: async (key) => check(await loadModelFromTarGz(await get(key), intoWasmMemory())) },
      {
        name: 'folder',
        key: RUNTIME_KEY,
        run: async (key) => {
          const target = path.join(scratch, `load-${round}`);
          await downloadTarGz(s3, { bucket: BUCKET, key }, target);
          check(await loadModel(target));
          rmSync(target, { recursive: true, force: true });
        },
      },
      { name: 'user raw', key: USER_KEY, run: async (key) => { for await (const chunk of await get(key)) void chunk; } },
      { name: 'user streamed', key: USER_KEY, run: async (key) => check(await loadModelFromTarGz(await get(key), intoWasmMemory())) },
    ];
    const times = new Map<string, number[]>(ways.map(({ name }) => [name, []]));
    for (round = 0; round < ROUNDS; round++) {
      // Interleaved so that every way sees the same machine load.
      for (const { name, key, run } of ways) {
        const started = performance.now();
        await run(key);
        times.get(name)!.push(performance.now() - started);
      }
    }
    const ms = (name: string) => median(times.get(name)!);
    const rate = (bytes: number, milliseconds: number) => `${milliseconds.toFixed(0)} ms (${(bytes / MIB / (milliseconds / 1000)).toFixed(0)} MiB/s)`;
    const row = (figure: string, name: string, rawName: string, bytes: number, target: boolean, baseline = 'raw GetObject read') => {
      const ratio = ms(rawName) / ms(name);
      const verdict = target ? `| ≥ 0.80 | ${ratio >= 0.8 ? 'yes' : 'NO'} |` : '| — | — |';
      console.log(`| ${figure} | ${rate(bytes, ms(name))} | ${baseline} ${rate(bytes, ms(rawName))} | ${ratio.toFixed(2)} ${verdict}`);
    };
    console.log(`| figure (median of ${ROUNDS}) | measured | baseline (same run) | ratio | target | ok? |`);
    console.log('|---|---|---|---|---|---|');
    row(`runtime's model.tar.gz (${(runtimeBytes / MIB).toFixed(0)} MiB) in S3 → weights, streamed (loadModelFromTarGz)`, 'streamed', 'raw', runtimeBytes, true, 'raw GetObject read, chunks dropped');
    row('the same, against a raw read into a fresh buffer of the object\'s size', 'streamed', 'raw fresh', runtimeBytes, true, 'raw GetObject read into fresh memory');
    row('raw read into fresh memory vs chunks dropped (the cost of first-touching the memory)', 'raw fresh', 'raw', runtimeBytes, false, 'raw GetObject read, chunks dropped');
    row('the same, extracted to a folder, then loaded (downloadTarGz + loadModel)', 'folder', 'raw', runtimeBytes, false);
    row(`a user's gzip -6 model.tar.gz (${(userBytes / MIB).toFixed(0)} MiB) → weights, streamed`, 'user streamed', 'user raw', userBytes, false);
    console.log(
      `\nThe runtime writes stored (level 0) gzip: ${((runtimeBytes / userBytes - 1) * 100).toFixed(1)} % more bytes than level 6 for these weights; ` +
      `loading it takes ${((ms('streamed') / ms('user streamed')) * 100).toFixed(0)} % of the time a level-6 archive takes.`,
    );
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
