import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  listChannelFiles, readSample, readValidationWindows, TrainingDataset, type DatasetOptions,
} from '../../emulator/containers/gpt/data';
import { BytePairTokenizer } from '../../emulator/containers/gpt/tokenizer';

// Numbered lines make every window distinct; the first file is larger than one 256 KB segment.
function makeChannel(): string[] {
  const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
  mkdirSync(path.join(directory, 'part'));
  const lines = (from: number, to: number): string =>
    Array.from({ length: to - from }, (_, i) => `line ${from + i} of the channel, é ${(from + i) % 7}\n`).join('');
  writeFileSync(path.join(directory, 'b.txt'), lines(0, 9000));
  writeFileSync(path.join(directory, 'part', 'c.txt'), lines(9000, 9500));
  writeFileSync(path.join(directory, 'a-empty.txt'), '');
  return [path.join(directory, 'a-empty.txt'), path.join(directory, 'b.txt'), path.join(directory, 'part', 'c.txt')];
}

const files = makeChannel();
const length = 16;
const size = length + 1;

async function options(overrides: Partial<DatasetOptions> = {}): Promise<DatasetOptions> {
  const tokenizer = BytePairTokenizer.train(await readSample(files, 64 * 1024), 300);
  return { files, tokenizer, length, validationInterval: 0, shuffleBuffer: 0, ...overrides };
}

function windowsOf(tokens: Int32Array): string[] {
  return Array.from({ length: tokens.length / size }, (_, i) => tokens.subarray(i * size, (i + 1) * size).join(','));
}

describe('streaming dataset', () => {
  it('lists a channel recursively in sorted order', async () => {
    assert.deepEqual(await listChannelFiles(path.dirname(files[0])), files);
  });

  it('cuts the token stream of the files into windows overlapping by one token', async () => {
    const opts = await options();
    const stream = files.flatMap((file) => opts.tokenizer.encode(readFileSync(file)));
    const dataset = new TrainingDataset(opts, 1);
    const count = Math.floor((stream.length - 1) / length);
    const batch = new Int32Array(count * size);
    await dataset.nextBatch(batch, count);
    for (let i = 0; i < count; i++) {
      assert.deepEqual(Array.from(batch.subarray(i * size, (i + 1) * size)), stream.slice(i * length, i * length + size), `window ${i}`);
    }
    assert.equal(dataset.epoch, 0);
    // The next window wraps around to the second epoch.
    const next = new Int32Array(size);
    await dataset.nextBatch(next, 1);
    assert.equal(dataset.epoch, 1);
    assert.deepEqual(Array.from(next), stream.slice(0, size));
  });

  it('holds out every n-th window for validation and never trains on it', async () => {
    const opts = await options({ validationInterval: 10, shuffleBuffer: 0 });
    const validation = await readValidationWindows(opts, 50);
    assert.equal(validation.sequences, 50);
    const dataset = new TrainingDataset(opts, 1);
    const training = new Int32Array(450 * size);
    await dataset.nextBatch(training, 450);
    const trainingWindows = new Set(windowsOf(training));
    assert.equal(trainingWindows.size, 450);
    for (const window of windowsOf(validation.tokens)) {
      assert.ok(!trainingWindows.has(window), 'a validation window was trained on');
    }
  });

  it('shuffles deterministically and resumes from a saved state exactly', async () => {
    const opts = await options({ validationInterval: 5, shuffleBuffer: 32 });
    const uninterrupted = new TrainingDataset(opts, 42);
    const all = new Int32Array(3000 * size);
    await uninterrupted.nextBatch(all, 3000);

    const first = new TrainingDataset(opts, 42);
    const part = new Int32Array(1234 * size);
    await first.nextBatch(part, 1234);
    const state = JSON.parse(JSON.stringify(first.state()));
    const resumed = new TrainingDataset(opts, 999, state);
    const rest = new Int32Array((3000 - 1234) * size);
    await resumed.nextBatch(rest, 3000 - 1234);
    assert.deepEqual([...part, ...rest], [...all]);
    // A shuffled stream is not the stream order.
    const ordered = new Int32Array(100 * size);
    await new TrainingDataset({ ...opts, shuffleBuffer: 0 }, 42).nextBatch(ordered, 100);
    assert.notDeepEqual(all.subarray(0, 100 * size), ordered);
  });

  it('refuses data too short for a single training window', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
    writeFileSync(path.join(directory, 'tiny.txt'), 'too short');
    const opts = await options({ files: [path.join(directory, 'tiny.txt')] });
    await assert.rejects(new TrainingDataset(opts, 1).nextBatch(new Int32Array(size), 1), /no training window/);
  });
});
