// Byte-level byte-pair encoding. Tokens 0…255 are the bytes themselves, so every byte sequence — any
// UTF-8 text, and invalid UTF-8 too — encodes and decodes back exactly; token 256 + i is the i-th learned
// merge of two earlier tokens. Text is first cut into pre-tokens (a word with its leading space, a run
// of digits, of punctuation or of whitespace, a single newline) and merges never cross a pre-token.
// Because a newline is always a pre-token of its own, text can be cut after any newline and encoded
// piece by piece with the same result, which is what lets the dataset reader stream.
// One special token, <|endoftext|>, follows the merges (the last id): the data reader puts it after
// every document and generation stops on it. Text never encodes to it; it decodes to nothing.
// Tokenizers saved before it existed (version 1) load without one.

export const END_OF_TEXT = '<|endoftext|>';

export interface TokenizerJson {
  type: 'byte-level-bpe';
  version: 1 | 2;
  /** merges[i] = [left, right] makes token 256 + i. */
  merges: Array<[number, number]>;
  /** Version 2: the special tokens, as in Hugging Face's tokenizer.json; <|endoftext|> is 256 + merges.length. */
  added_tokens?: Array<{ id: number; content: string; special: boolean }>;
}

const BYTE_TOKENS = 256;
const NEWLINE = 0x0a;
const SPACE = 0x20;
/** Encoded pre-tokens remembered by `encode`; dataset text repeats the same words over and over. */
const ENCODE_CACHE_LIMIT = 100_000;

const enum ByteClass { Letter, Digit, Space, Newline, OtherWhitespace, Punctuation }

function classify(byte: number): ByteClass {
  if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte >= 0x80) {
    return ByteClass.Letter; // bytes of multi-byte UTF-8 characters count as letters: words in any script
  }
  if (byte >= 0x30 && byte <= 0x39) {
    return ByteClass.Digit;
  }
  if (byte === SPACE) {
    return ByteClass.Space;
  }
  if (byte === NEWLINE) {
    return ByteClass.Newline;
  }
  if (byte === 0x09 || byte === 0x0b || byte === 0x0c || byte === 0x0d) {
    return ByteClass.OtherWhitespace;
  }
  return ByteClass.Punctuation;
}

function isBlank(byteClass: ByteClass): boolean {
  return byteClass === ByteClass.Space || byteClass === ByteClass.OtherWhitespace;
}

/** Calls `visit(start, end)` for each pre-token of `bytes`, in order, covering every byte. */
export function forEachPretoken(bytes: Uint8Array, visit: (start: number, end: number) => void): void {
  let start = 0;
  while (start < bytes.length) {
    const first = classify(bytes[start]);
    let end = start + 1;
    if (first === ByteClass.Newline) {
      // a newline stands alone
    } else if (first === ByteClass.Space && end < bytes.length && isWordClass(classify(bytes[end]))) {
      const wordClass = classify(bytes[end]);
      while (end < bytes.length && classify(bytes[end]) === wordClass) {
        end++;
      }
    } else if (isBlank(first)) {
      while (end < bytes.length && isBlank(classify(bytes[end]))) {
        end++;
      }
      // Leave a final space to the word that follows, as " word" is the common pre-token.
      if (end < bytes.length && end - start > 1 && bytes[end - 1] === SPACE && isWordClass(classify(bytes[end]))) {
        end--;
      }
    } else {
      while (end < bytes.length && classify(bytes[end]) === first) {
        end++;
      }
    }
    visit(start, end);
    start = end;
  }
}

function isWordClass(byteClass: ByteClass): boolean {
  return byteClass === ByteClass.Letter || byteClass === ByteClass.Digit || byteClass === ByteClass.Punctuation;
}

function pairKey(left: number, right: number): number {
  return left * 0x100000 + right; // tokens stay below 2^20
}

export class BytePairTokenizer {
  readonly vocabSize: number;
  /** The id of <|endoftext|>; undefined for a tokenizer of version 1. */
  readonly endOfText: number | undefined;
  private readonly merges: ReadonlyArray<readonly [number, number]>;
  /** pairKey → rank of the merge (lower merges first). */
  private readonly ranks = new Map<number, number>();
  private readonly tokenBytes: Uint8Array[];
  private readonly cache = new Map<string, number[]>();

  private constructor(merges: ReadonlyArray<readonly [number, number]>, withEndOfText: boolean) {
    this.merges = merges;
    this.endOfText = withEndOfText ? BYTE_TOKENS + merges.length : undefined;
    this.vocabSize = BYTE_TOKENS + merges.length + (withEndOfText ? 1 : 0);
    this.tokenBytes = Array.from({ length: BYTE_TOKENS }, (_, byte) => Uint8Array.of(byte));
    merges.forEach(([left, right], rank) => {
      const token = BYTE_TOKENS + rank;
      if (!(left < token && right < token && left >= 0 && right >= 0)) {
        throw new RangeError(`merge ${rank} refers to token ${Math.max(left, right)} that does not exist yet`);
      }
      this.ranks.set(pairKey(left, right), rank);
      const bytes = new Uint8Array(this.tokenBytes[left].length + this.tokenBytes[right].length);
      bytes.set(this.tokenBytes[left]);
      bytes.set(this.tokenBytes[right], this.tokenBytes[left].length);
      this.tokenBytes.push(bytes);
    });
    if (withEndOfText) {
      this.tokenBytes.push(new Uint8Array(0));
    }
  }

  /**
   * Learns merges from `texts` until the vocabulary has `vocabSize` tokens (<|endoftext|> included,
   * unless left out) or no pair occurs twice. Ties between equally frequent pairs go to the smaller
   * (left, right), so training is deterministic.
   */
  static train(texts: Iterable<Uint8Array>, vocabSize: number, { endOfText = true } = {}): BytePairTokenizer {
    const smallest = BYTE_TOKENS + (endOfText ? 1 : 0);
    if (!Number.isInteger(vocabSize) || vocabSize < smallest || vocabSize > 0x100000) {
      throw new RangeError(`vocabulary size must be an integer in [${smallest}, 2^20], got ${vocabSize}`);
    }
    const wordCounts = new Map<string, number>();
    for (const text of texts) {
      forEachPretoken(text, (start, end) => {
        const word = Buffer.from(text.buffer, text.byteOffset + start, end - start).toString('latin1');
        wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      });
    }
    return new BytePairTokenizer(learnMerges(wordCounts, vocabSize - smallest), endOfText);
  }

  static fromJSON(json: TokenizerJson): BytePairTokenizer {
    if (json.type !== 'byte-level-bpe' || (json.version !== 1 && json.version !== 2) || !Array.isArray(json.merges)) {
      throw new Error('not a byte-level BPE tokenizer (version 1 or 2)');
    }
    const merges = json.merges.map(([left, right]) => [left, right] as const);
    const added = json.version === 2 ? json.added_tokens ?? [] : [];
    const endOfText = BYTE_TOKENS + merges.length;
    if (added.length > 1 || added.some(({ id, content }) => id !== endOfText || content !== END_OF_TEXT)) {
      throw new Error(`the tokenizer's only added token can be ${END_OF_TEXT}, with id ${endOfText}; got ${JSON.stringify(added)}`);
    }
    return new BytePairTokenizer(merges, added.length === 1);
  }

  toJSON(): TokenizerJson {
    const merges = this.merges.map(([left, right]): [number, number] => [left, right]);
    return this.endOfText === undefined
      ? { type: 'byte-level-bpe', version: 1, merges }
      : { type: 'byte-level-bpe', version: 2, merges, added_tokens: [{ id: this.endOfText, content: END_OF_TEXT, special: true }] };
  }

  encode(bytes: Uint8Array): number[] {
    const tokens: number[] = [];
    forEachPretoken(bytes, (start, end) => {
      const key = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
      let encoded = this.cache.get(key);
      if (!encoded) {
        encoded = this.encodePretoken(bytes.subarray(start, end));
        if (this.cache.size >= ENCODE_CACHE_LIMIT) {
          this.cache.clear();
        }
        this.cache.set(key, encoded);
      }
      for (const token of encoded) {
        tokens.push(token);
      }
    });
    return tokens;
  }

  encodeText(text: string): number[] {
    return this.encode(Buffer.from(text, 'utf8'));
  }

  decode(tokens: ArrayLike<number>): Uint8Array {
    const pieces = Array.from(tokens, (token) => this.bytesOf(token));
    const bytes = new Uint8Array(pieces.reduce((total, piece) => total + piece.length, 0));
    let offset = 0;
    for (const piece of pieces) {
      bytes.set(piece, offset);
      offset += piece.length;
    }
    return bytes;
  }

  /** Decodes to text; byte sequences that are not valid UTF-8 become U+FFFD. */
  decodeText(tokens: ArrayLike<number>): string {
    return Buffer.from(this.decode(tokens)).toString('utf8');
  }

  /** The bytes a single token stands for (none for <|endoftext|>). */
  bytesOf(token: number): Uint8Array {
    const bytes = this.tokenBytes[token];
    if (!bytes) {
      throw new RangeError(`token ${token} is not in the vocabulary of ${this.vocabSize}`);
    }
    return bytes;
  }

  /** Applies the merges to one pre-token, always the lowest-ranked adjacent pair first. */
  private encodePretoken(bytes: Uint8Array): number[] {
    const symbols = Array.from(bytes);
    for (;;) {
      let bestRank = Infinity;
      let bestIndex = -1;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(pairKey(symbols[i], symbols[i + 1]));
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestIndex = i;
        }
      }
      if (bestIndex < 0) {
        return symbols;
      }
      symbols.splice(bestIndex, 2, BYTE_TOKENS + bestRank);
    }
  }
}

/** Classic BPE training over distinct words with counts, updating pair counts incrementally. */
function learnMerges(wordCounts: Map<string, number>, mergeCount: number): Array<[number, number]> {
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [word, count] of wordCounts) {
    words.push(Array.from(Buffer.from(word, 'latin1')));
    counts.push(count);
  }
  const pairCounts = new Map<number, number>();
  const wordsWithPair = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const changePair = (key: number, delta: number, word: number): void => {
    const count = (pairCounts.get(key) ?? 0) + delta;
    pairCounts.set(key, count);
    heap.push(count, key);
    if (delta > 0) {
      let set = wordsWithPair.get(key);
      if (!set) {
        set = new Set();
        wordsWithPair.set(key, set);
      }
      set.add(word);
    }
  };
  const countPairs = (word: number, sign: number): void => {
    const symbols = words[word];
    for (let i = 0; i + 1 < symbols.length; i++) {
      changePair(pairKey(symbols[i], symbols[i + 1]), sign * counts[word], word);
    }
  };
  words.forEach((_, word) => countPairs(word, 1));

  const merges: Array<[number, number]> = [];
  while (merges.length < mergeCount) {
    const best = heap.popValid(pairCounts);
    if (!best || best.count < 2) {
      break;
    }
    const left = Math.floor(best.key / 0x100000);
    const right = best.key % 0x100000;
    const token = BYTE_TOKENS + merges.length;
    merges.push([left, right]);
    const affected = wordsWithPair.get(best.key) ?? new Set<number>();
    wordsWithPair.delete(best.key);
    for (const word of affected) {
      countPairs(word, -1);
      words[word] = mergePair(words[word], left, right, token);
      countPairs(word, 1);
    }
  }
  return merges;
}

function mergePair(symbols: number[], left: number, right: number, token: number): number[] {
  const merged: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      merged.push(token);
      i++;
    } else {
      merged.push(symbols[i]);
    }
  }
  return merged;
}

/**
 * Max-heap of (count, pair) ordered by count, then by smaller pair key. Entries go stale as counts
 * change; `popValid` drops an entry whose count is no longer the pair's current count.
 */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  push(count: number, key: number): void {
    if (count <= 0) {
      return;
    }
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) {
        break;
      }
      this.swap(i, parent);
      i = parent;
    }
  }

  popValid(current: Map<number, number>): { count: number; key: number } | undefined {
    while (this.counts.length > 0) {
      const count = this.counts[0];
      const key = this.keys[0];
      this.removeTop();
      if (current.get(key) === count) {
        return { count, key };
      }
    }
    return undefined;
  }

  private removeTop(): void {
    const last = this.counts.length - 1;
    this.swap(0, last);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const leftChild = 2 * i + 1;
      const rightChild = leftChild + 1;
      let top = i;
      if (leftChild < this.counts.length && this.before(leftChild, top)) {
        top = leftChild;
      }
      if (rightChild < this.counts.length && this.before(rightChild, top)) {
        top = rightChild;
      }
      if (top === i) {
        return;
      }
      this.swap(i, top);
      i = top;
    }
  }

  private before(a: number, b: number): boolean {
    return this.counts[a] > this.counts[b] || (this.counts[a] === this.counts[b] && this.keys[a] < this.keys[b]);
  }

  private swap(a: number, b: number): void {
    [this.counts[a], this.counts[b]] = [this.counts[b], this.counts[a]];
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
  }
}
