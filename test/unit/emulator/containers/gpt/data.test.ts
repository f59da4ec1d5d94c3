// Unit tests of streaming dataset.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  listChannelFiles, readSample, readValidationWindows, TrainingDataset, type DatasetOptions,
} from '../../../../../emulator/containers/gpt/data';
import { BytePairTokenizer } from '../../../../../emulator/containers/gpt/tokenizer';

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
    // Each file is a document, followed by <|endoftext|>.
    const stream = files.flatMap((file) => {
      const bytes = readFileSync(file);
      return bytes.length === 0 ? [] : [...opts.tokenizer.encode(bytes), opts.tokenizer.endOfText!];
    });
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

  it('reads one document per JSON Lines record, each followed by <|endoftext|>, and resumes anywhere', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
    const long = 'a record longer than a segment '.repeat(10_000); // read whole, never cut
    const records = [{ text: 'first doc\nwith two lines' }, { text: '' }, { text: long, source: 'x' }, { text: 'ünïcode 🦊' }];
    const jsonl = path.join(directory, 'a.jsonl');
    writeFileSync(jsonl, records.map((record) => JSON.stringify(record)).join('\n') + '\n\n');
    const text = path.join(directory, 'b.txt');
    writeFileSync(text, 'a plain file is one document\n');
    // Long windows: the long record makes many tokens.
    const windowLength = 128;
    const windowSize = windowLength + 1;
    const opts = await options({ files: [jsonl, text], shuffleBuffer: 0, length: windowLength });
    const { tokenizer } = opts;
    const endOfText = tokenizer.endOfText!;
    const expected = [
      ...['first doc\nwith two lines', long, 'ünïcode 🦊', 'a plain file is one document\n'].flatMap((document) => [...tokenizer.encodeText(document), endOfText]),
    ];
    const count = Math.floor((expected.length - 1) / windowLength);
    const all = new Int32Array(count * windowSize);
    await new TrainingDataset(opts, 1).nextBatch(all, count);
    assert.deepEqual(Array.from(all), Array.from({ length: count * windowSize }, (_, i) => expected[Math.floor(i / windowSize) * windowLength + (i % windowSize)]));
    // Resumed after a window in a document, at a document's end or at a file's end, it reads on exactly.
    const documentEnds = expected.flatMap((token, i) => (token === endOfText ? [Math.floor(i / windowLength)] : []));
    for (const cut of new Set([1, Math.floor(count / 2), ...documentEnds.filter((cut) => cut > 0 && cut < count)])) {
      const first = new TrainingDataset(opts, 1);
      await first.nextBatch(new Int32Array(cut * windowSize), cut);
      const rest = new Int32Array((count - cut) * windowSize);
      await new TrainingDataset(opts, 1, JSON.parse(JSON.stringify(first.state()))).nextBatch(rest, count - cut);
      assert.deepEqual(rest, all.subarray(cut * windowSize), `resumed after window ${cut}`);
    }
    // Windows of 2 tokens on short documents: a cut lands at every token, <|endoftext|> segments included.
    const short = { ...opts, files: [path.join(directory, 'c.jsonl'), text, path.join(directory, 'd.txt')], length: 2 };
    writeFileSync(short.files[0], '{"text":"x y"}\n{"text":"z"}\n');
    writeFileSync(short.files[2], 'last');
    const shortStream = ['x y', 'z', 'a plain file is one document\n', 'last'].flatMap((document) => [...tokenizer.encodeText(document), endOfText]);
    const shortCount = (shortStream.length - 1) >> 1; // the epoch, to its last <|endoftext|> when the count allows
    const whole = new Int32Array(shortCount * 3);
    await new TrainingDataset(short, 1).nextBatch(whole, shortCount);
    assert.deepEqual(Array.from(whole), Array.from({ length: shortCount * 3 }, (_, i) => shortStream[Math.floor(i / 3) * 2 + (i % 3)]));
    for (let cut = 1; cut < shortCount; cut++) {
      const first = new TrainingDataset(short, 1);
      await first.nextBatch(new Int32Array(cut * 3), cut);
      const rest = new Int32Array((shortCount - cut) * 3);
      await new TrainingDataset(short, 1, JSON.parse(JSON.stringify(first.state()))).nextBatch(rest, shortCount - cut);
      assert.deepEqual(rest, whole.subarray(cut * 3), `resumed after short window ${cut}`);
    }
  });

  it('learns the tokenizer from the texts of JSON Lines, and names a malformed record', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
    const jsonl = path.join(directory, 'docs.jsonl');
    writeFileSync(jsonl, '{"text":"zebra zebra"}\n{"text":"quagga"}\n');
    assert.deepEqual((await readSample([jsonl], 1024)).map((sample) => Buffer.from(sample).toString()), ['zebra zebra', 'quagga']);
    const broken = path.join(directory, 'broken.jsonl');
    writeFileSync(broken, '{"text":"fine"}\n{"content":"no text"}\n');
    await assert.rejects(readSample([broken], 1024), new RegExp(`${broken}: the JSON Lines record at byte 16 is not an object with a string "text"`));
  });

  it('reads the files back to back, as before, with a tokenizer of a checkpoint from before <|endoftext|>', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
    const jsonl = path.join(directory, 'a.jsonl');
    writeFileSync(jsonl, '{"text":"one"}\n{"text":"two"}\n'.repeat(20));
    const opts = { ...(await options({ files: [jsonl, files[2]] })), tokenizer: BytePairTokenizer.train(await readSample(files, 64 * 1024), 300, { endOfText: false }) };
    const stream = [jsonl, files[2]].flatMap((file) => opts.tokenizer.encode(readFileSync(file)));
    const count = Math.floor((stream.length - 1) / length);
    const batch = new Int32Array(count * size);
    await new TrainingDataset(opts, 1).nextBatch(batch, count);
    assert.deepEqual(Array.from(batch.subarray((count - 1) * size)), stream.slice((count - 1) * length, (count - 1) * length + size));
  });

  it('refuses data too short for a single training window', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-data-'));
    writeFileSync(path.join(directory, 'tiny.txt'), 'too short');
    const opts = await options({ files: [path.join(directory, 'tiny.txt')] });
    await assert.rejects(new TrainingDataset(opts, 1).nextBatch(new Int32Array(size), 1), /no training window/);
  });
});
