// `node out/bench/modelLoad.js`: loading a built-in GPT model for serving — model.tar.gz streamed
// from the emulator's S3, extracted, weights decoded — against a raw read of the same object in
// the same run. Target: load throughput ≥ 0.5 of the raw read.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { loadModel, saveModel } from '../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../emulator/containers/gpt/parameters';
import { Random } from '../emulator/containers/gpt/random';
import { BytePairTokenizer } from '../emulator/containers/gpt/tokenizer';
import { downloadTarGz } from '../emulator/runtime/s3Transfer';
import { startEmulatorProcess } from '../test/vscode/emulatorProcess';
import { median } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = 5;
// About 25 M parameters (100 MB of weights): big enough that fixed costs do not dominate.
const CONFIG: ModelConfig = { vocabSize: 512, layers: 8, heads: 8, width: 512, context: 256 };


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
    const archive = path.join(scratch, 'model.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: modelDir, portable: true }, ['.']);
    const bytes = readFileSync(archive);

    const s3 = new S3Client({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-models' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-models', Key: 'model.tar.gz', Body: bytes }));
    const get = async () => (await s3.send(new GetObjectCommand({ Bucket: 'bench-models', Key: 'model.tar.gz' }))).Body as Readable;

    const raw: number[] = [];
    const load: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved so both see the same machine load.
      let started = performance.now();
      for await (const chunk of await get()) void chunk;
      raw.push(performance.now() - started);

      const target = path.join(scratch, `load-${round}`);
      started = performance.now();
      // As the runtime extracts model.tar.gz into the model folder, then the server loads it.
      await downloadTarGz(s3, { bucket: 'bench-models', key: 'model.tar.gz' }, target);
      const model = await loadModel(target);
      load.push(performance.now() - started);
      if (model.parameters.length !== parameters.length) throw new Error('loaded the wrong model');
      rmSync(target, { recursive: true, force: true });
    }
    const megabytes = bytes.length / 1024 / 1024;
    const rawMs = median(raw);
    const loadMs = median(load);
    console.log(`| figure (median of ${ROUNDS}, ${megabytes.toFixed(0)} MB model.tar.gz) | measured | baseline (same run) | ratio | target | ok? |`);
    console.log('|---|---|---|---|---|---|');
    const ratio = rawMs / loadMs;
    console.log(
      `| model.tar.gz in S3 → weights loaded | ${loadMs.toFixed(0)} ms (${(megabytes / (loadMs / 1000)).toFixed(0)} MB/s) | raw GetObject read ${rawMs.toFixed(0)} ms (${(megabytes / (rawMs / 1000)).toFixed(0)} MB/s) | ${ratio.toFixed(2)} | ≥ 0.50 | ${ratio >= 0.5 ? 'yes' : 'NO'} |`,
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
