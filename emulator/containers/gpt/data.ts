// The training data, streamed: the channel's files are read in segments (cut after a newline, so that
// tokenizing segment by segment equals tokenizing the whole text), tokenized, and cut into overlapping
// windows of length + 1 tokens (window i starts where window i − 1's last input was, so that every token
// is a target once). Every `validationInterval`-th window of the stream is held out for validation.
// Training windows pass through a seeded shuffle buffer. The whole state — where the reader is, the
// buffer's windows, the generator's state — is small and serialisable, so a resumed run reads exactly
// the windows the uninterrupted run would have read.
//
// Documents: a `.jsonl` file holds one per line (`{"text": "…"}`, as Hugging Face datasets write
// JSON Lines; blank lines and empty texts are skipped); any other file is one document. Each document
// is followed by <|endoftext|>. A tokenizer without that token (a checkpoint of an earlier version
// being resumed) reads the files as before: their bytes back to back, `.jsonl` ones included.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Random, type RandomState } from './model/random';
import type { BytePairTokenizer } from './tokenizer';

/** How many bytes a segment reads at most (it is cut back to the last newline in it, if any). */
const SEGMENT_BYTES = 256 * 1024;
/** A JSON Lines record longer than this is refused rather than read into memory whole. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

function isJsonLines(file: string): boolean {
  return file.toLowerCase().endsWith('.jsonl');
}

export interface DatasetOptions {
  /** The channel's files, in the order they are read. */
  files: readonly string[];
  tokenizer: BytePairTokenizer;
  /** Input tokens per window (the model's context); a window holds length + 1 tokens. */
  length: number;
  /** Every n-th window is held out for validation; 0 holds out nothing. */
  validationInterval: number;
  /** Training windows drawn at random from a buffer of this many; 0 or 1 keeps stream order. */
  shuffleBuffer: number;
}

/** Where the stream of windows is: the next window starts at token `token` of the segment at `offset`. */
export interface StreamPosition {
  epoch: number;
  file: number;
  offset: number;
  token: number;
  /** Index, within the epoch, of the next window (decides which windows are held out). */
  window: number;
}

export interface DatasetState {
  position: StreamPosition;
  shuffleBuffer: number[][];
  random: RandomState;
}

/** The regular files under a channel directory, recursively, in a stable (sorted) order. */
export async function listChannelFiles(directory: string): Promise<string[]> {
  const entries = await fs.readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/**
 * Reads the segment of `file` that starts at `offset`: up to the last newline within SEGMENT_BYTES.
 * With `wholeLines`, a segment always ends after a newline (or at the end of the file), however long
 * the line: a JSON Lines record is never cut.
 */
async function readSegment(file: string, offset: number, wholeLines = false): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    let buffer = Buffer.alloc(SEGMENT_BYTES);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
      filled += bytesRead;
      if (filled < buffer.length) {
        return buffer.subarray(0, filled); // the end of the file
      }
      const lastNewline = buffer.lastIndexOf(NEWLINE, filled - 1);
      if (lastNewline >= 0) {
        return buffer.subarray(0, lastNewline + 1);
      }
      if (!wholeLines) {
        return buffer; // a line longer than a segment: text can be cut anywhere, at a small cost
      }
      if (buffer.length >= MAX_RECORD_BYTES) {
        throw new Error(`${file}: the JSON Lines record at byte ${offset} is longer than ${MAX_RECORD_BYTES} bytes`);
      }
      const grown = Buffer.alloc(Math.min(2 * buffer.length, MAX_RECORD_BYTES));
      buffer.copy(grown);
      buffer = grown;
    }
  } finally {
    await handle.close();
  }
}

/** The texts of a segment of JSON Lines, one per document; `offset` is the segment's, for errors. */
function jsonLinesTexts(file: string, offset: number, segment: Uint8Array): Buffer[] {
  const bytes = Buffer.from(segment.buffer, segment.byteOffset, segment.byteLength);
  const texts: Buffer[] = [];
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const line = bytes.toString('utf8', start, end).trim();
    if (line !== '') {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      const text = (record as { text?: unknown } | null)?.text;
      if (typeof text !== 'string') {
        throw new Error(`${file}: the JSON Lines record at byte ${offset + start} is not an object with a string "text"`);
      }
      if (text !== '') {
        texts.push(Buffer.from(text, 'utf8'));
      }
    }
    start = end;
  }
  return texts;
}

/** The first segments of the files, up to about `maxBytes` in all, as texts: the sample a tokenizer learns from. */
export async function readSample(files: readonly string[], maxBytes: number): Promise<Uint8Array[]> {
  const texts: Uint8Array[] = [];
  let total = 0;
  for (const file of files) {
    const jsonLines = isJsonLines(file);
    for (let offset = 0; total < maxBytes;) {
      const segment = await readSegment(file, offset, jsonLines);
      if (segment.length === 0) {
        break;
      }
      texts.push(...(jsonLines ? jsonLinesTexts(file, offset, segment) : [segment]));
      offset += segment.length;
      total += segment.length;
    }
  }
  return texts;
}

interface TokenizedSegment {
  file: number;
  offset: number;
  tokens: number[];
}

/** The stream of windows of one epoch, read segment by segment. */
class WindowStream {
  /** Tokenized segments not yet consumed; the first one's tokens before `head` are consumed. */
  private readonly segments: TokenizedSegment[] = [];
  private head: number;
  private available: number;
  private nextFile: number;
  private nextOffset: number;
  private window: number;

  readonly epoch: number;

  constructor(private readonly options: DatasetOptions, start: StreamPosition) {
    this.epoch = start.epoch;
    this.nextFile = start.file;
    this.nextOffset = start.offset;
    this.head = start.token;
    this.window = start.window;
    this.available = -start.token;
  }

  position(): StreamPosition {
    const first = this.segments[0];
    return first
      ? { epoch: this.epoch, file: first.file, offset: first.offset, token: this.head, window: this.window }
      : { epoch: this.epoch, file: this.nextFile, offset: this.nextOffset, token: this.head, window: this.window };
  }

  /** Copies the next window into `into` at `at`; answers whether it is held out, or undefined at the end of the epoch. */
  async next(into: Int32Array, at: number): Promise<{ heldOut: boolean } | undefined> {
    const size = this.options.length + 1;
    while (this.available < size) {
      if (!(await this.readNextSegment())) {
        return undefined;
      }
    }
    let segment = 0;
    let index = this.head;
    for (let i = 0; i < size; i++) {
      while (index >= this.segments[segment].tokens.length) {
        segment++;
        index = 0;
      }
      into[at + i] = this.segments[segment].tokens[index++];
    }
    this.advance(this.options.length);
    const interval = this.options.validationInterval;
    const heldOut = interval > 0 && this.window % interval === 0;
    this.window++;
    return { heldOut };
  }

  private advance(tokens: number): void {
    this.head += tokens;
    this.available -= tokens;
    while (this.segments.length > 0 && this.head >= this.segments[0].tokens.length) {
      this.head -= this.segments[0].tokens.length;
      this.segments.shift();
    }
  }

  private async readNextSegment(): Promise<boolean> {
    const { files, tokenizer } = this.options;
    const endOfText = tokenizer.endOfText;
    while (this.nextFile < files.length) {
      const index = this.nextFile;
      const file = files[index];
      const jsonLines = endOfText !== undefined && isJsonLines(file);
      const offset = this.nextOffset;
      const bytes = await readSegment(file, offset, jsonLines);
      let tokens: number[];
      if (bytes.length > 0) {
        tokens = jsonLines ? jsonLinesTexts(file, offset, bytes).flatMap((text) => [...tokenizer.encode(text), endOfText]) : tokenizer.encode(bytes);
        this.nextOffset += bytes.length;
      } else {
        this.nextFile++;
        this.nextOffset = 0;
        // A file that is one document ends with <|endoftext|>: a segment of its own, at the file's end.
        if (endOfText === undefined || jsonLines || offset === 0) {
          continue;
        }
        tokens = [endOfText];
      }
      this.segments.push({ file: index, offset, tokens });
      this.available += tokens.length;
      return true;
    }
    return false;
  }
}

const EPOCH_START: Omit<StreamPosition, 'epoch'> = { file: 0, offset: 0, token: 0, window: 0 };

/** The held-out windows (the first `count` of them), as `sequences` windows of length + 1 tokens. */
export async function readValidationWindows(options: DatasetOptions, count: number): Promise<{ tokens: Int32Array; sequences: number }> {
  const size = options.length + 1;
  const tokens = new Int32Array(count * size);
  const stream = new WindowStream(options, { epoch: 0, ...EPOCH_START });
  let sequences = 0;
  while (sequences < count && options.validationInterval > 0) {
    const window = await stream.next(tokens, sequences * size);
    if (!window) {
      break;
    }
    if (window.heldOut) {
      sequences++;
    }
  }
  return { tokens: tokens.subarray(0, sequences * size), sequences };
}

/** The endless, shuffled stream of training windows, epoch after epoch. */
export class TrainingDataset {
  private stream: WindowStream;
  private readonly shuffleBuffer: Int32Array[];
  private readonly random: Random;
  private readonly scratch: Int32Array;

  constructor(private readonly options: DatasetOptions, seed: number, state?: DatasetState) {
    const size = options.length + 1;
    this.stream = new WindowStream(options, state?.position ?? { epoch: 0, ...EPOCH_START });
    this.shuffleBuffer = (state?.shuffleBuffer ?? []).map((window) => {
      if (window.length !== size) {
        throw new Error(`a saved window has ${window.length} tokens, expected ${size}`);
      }
      return Int32Array.from(window);
    });
    this.random = state ? Random.fromState(state.random) : Random.fromSeed(seed);
    this.scratch = new Int32Array(size);
  }

  get epoch(): number {
    return this.stream.epoch;
  }

  state(): DatasetState {
    return { position: this.stream.position(), shuffleBuffer: this.shuffleBuffer.map((window) => Array.from(window)), random: this.random.getState() };
  }

  /** Fills `into` with the next `sequences` training windows. */
  async nextBatch(into: Int32Array, sequences: number): Promise<void> {
    const size = this.options.length + 1;
    for (let s = 0; s < sequences; s++) {
      into.set(await this.nextWindow(), s * size);
    }
  }

  private async nextWindow(): Promise<Int32Array> {
    const capacity = Math.max(1, this.options.shuffleBuffer);
    while (this.shuffleBuffer.length < capacity) {
      await this.readTrainingWindow(this.scratch);
      this.shuffleBuffer.push(Int32Array.from(this.scratch));
    }
    const pick = capacity === 1 ? 0 : this.random.nextInt(capacity);
    const window = this.shuffleBuffer[pick];
    this.shuffleBuffer[pick] = this.shuffleBuffer[this.shuffleBuffer.length - 1];
    this.shuffleBuffer.pop();
    return window;
  }

  private async readTrainingWindow(into: Int32Array): Promise<void> {
    let restarted = false;
    for (;;) {
      const window = await this.stream.next(into, 0);
      if (window && !window.heldOut) {
        return;
      }
      if (!window) {
        if (restarted) {
          throw new Error(`a whole epoch of the training data holds no training window of ${this.options.length + 1} tokens`);
        }
        const epoch = this.stream.epoch + 1;
        this.stream = new WindowStream(this.options, { epoch, ...EPOCH_START });
        restarted = true;
      }
    }
  }
}
