// Unit tests of byte-level BPE tokenizer.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BytePairTokenizer, END_OF_TEXT, forEachPretoken, type TokenizerJson } from '../../../../../emulator/containers/gpt/tokenizer';
import { Random } from '../../../../../emulator/containers/gpt/model/random';

const corpus = [
  'The quick brown fox jumps over the lazy dog.\n',
  'The lazy dog sleeps; the quick fox runs away, quickly and quietly.\n',
  'Über den Wolken muss die Freiheit wohl grenzenlos sein. 雲の上 🦊🦊 fox 2024 2025\n',
].join('').repeat(20);

function pretokens(text: string): string[] {
  const bytes = Buffer.from(text);
  const pieces: string[] = [];
  forEachPretoken(bytes, (start, end) => pieces.push(bytes.subarray(start, end).toString()));
  return pieces;
}

describe('byte-level BPE tokenizer', () => {
  const tokenizer = BytePairTokenizer.train([Buffer.from(corpus)], 320);

  it('cuts text into words with their leading space, numbers, punctuation, blanks and lone newlines', () => {
    assert.deepEqual(pretokens('Hello, world  42x\n\n\tend'), ['Hello', ',', ' world', ' ', ' 42', 'x', '\n', '\n', '\t', 'end']);
    assert.deepEqual(pretokens('  über'), [' ', ' über']);
  });

  it('learns the requested number of merges and compresses text like its corpus', () => {
    assert.equal(tokenizer.vocabSize, 320);
    const text = 'The quick fox jumps over the lazy dog.';
    const tokens = tokenizer.encodeText(text);
    assert.ok(tokens.length < Buffer.byteLength(text) / 2, `${tokens.length} tokens for ${Buffer.byteLength(text)} bytes`);
    assert.ok(tokens.every((token) => token >= 0 && token < tokenizer.vocabSize));
  });

  it('stops early when no pair occurs twice', () => {
    assert.equal(BytePairTokenizer.train([Buffer.from('abcd')], 1000).vocabSize, 257);
    assert.equal(BytePairTokenizer.train([Buffer.from('abcd')], 1000, { endOfText: false }).vocabSize, 256);
  });

  it('ends its vocabulary with <|endoftext|>, which text never encodes to and which decodes to nothing', () => {
    const endOfText = tokenizer.endOfText!;
    assert.equal(endOfText, tokenizer.vocabSize - 1);
    assert.ok(!tokenizer.encodeText(`a ${END_OF_TEXT} b`).includes(endOfText), 'the text of the special token is just text');
    assert.equal(tokenizer.decodeText([...tokenizer.encodeText('one'), endOfText, ...tokenizer.encodeText(' two')]), 'one two');
    const json = JSON.parse(JSON.stringify(tokenizer)) as TokenizerJson;
    assert.deepEqual(json.added_tokens, [{ id: endOfText, content: END_OF_TEXT, special: true }]);
    assert.equal(BytePairTokenizer.fromJSON(json).endOfText, endOfText);
  });

  it('loads a tokenizer saved before <|endoftext|> existed, without it, and refuses other added tokens', () => {
    const { merges } = tokenizer.toJSON();
    const old = BytePairTokenizer.fromJSON({ type: 'byte-level-bpe', version: 1, merges });
    assert.equal(old.endOfText, undefined);
    assert.equal(old.vocabSize, tokenizer.vocabSize - 1);
    assert.deepEqual(old.encodeText(corpus), tokenizer.encodeText(corpus));
    assert.throws(
      () => BytePairTokenizer.fromJSON({ type: 'byte-level-bpe', version: 2, merges, added_tokens: [{ id: 0, content: '<pad>', special: true }] }),
      /only added token can be <\|endoftext\|>/,
    );
  });

  it('round-trips any UTF-8 text and any byte sequence, invalid UTF-8 included', () => {
    for (const text of ['', 'a', ' fox\r\n\n', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301 👩‍👩‍👧 中文字 العربية', corpus]) {
      assert.equal(tokenizer.decodeText(tokenizer.encodeText(text)), text);
    }
    const random = Random.fromSeed(3);
    for (let round = 0; round < 20; round++) {
      const bytes = Uint8Array.from({ length: random.nextInt(200) }, () => random.nextInt(256));
      assert.deepEqual(tokenizer.decode(tokenizer.encode(bytes)), bytes);
    }
  });

  it('encodes the same whether the text is cut after a newline or not', () => {
    const text = Buffer.from(corpus.slice(0, 400));
    const cut = text.indexOf(0x0a, 100) + 1;
    const pieces = [...tokenizer.encode(text.subarray(0, cut)), ...tokenizer.encode(text.subarray(cut))];
    assert.deepEqual(pieces, tokenizer.encode(text));
  });

  it('trains deterministically and survives a JSON round trip', () => {
    const again = BytePairTokenizer.train([Buffer.from(corpus)], 320);
    assert.deepEqual(again.toJSON(), tokenizer.toJSON());
    const loaded = BytePairTokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer)));
    assert.deepEqual(loaded.encodeText(corpus), tokenizer.encodeText(corpus));
  });

  it('rejects a tokenizer file whose merges refer to tokens not yet made', () => {
    assert.throws(() => BytePairTokenizer.fromJSON({ type: 'byte-level-bpe', version: 1, merges: [[256, 1]] }), /does not exist/);
  });
});
