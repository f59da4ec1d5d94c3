// Each kind of assertion passing and failing at its edge, with a message that says what came.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkAnswer, similarity } from '../../../../../src/pipeline/promptTests/assertions';
import type { Assertion } from '../../../../../src/pipeline/promptTests/promptFile';

const answer = (text: string, latencyMs = 100, tokens = 10): { text: string; latencyMs: number; tokens?: number } => ({ text, latencyMs, tokens });
const passes = (assertion: Assertion, facts = answer('The capital of France is Paris.')) => checkAnswer([assertion], facts)[0].passed;
const message = (assertion: Assertion, facts = answer('The capital of France is Paris.')) => checkAnswer([assertion], facts)[0].message;

it('contains, not-contains and equals, with and without case', () => {
  assert.equal(passes({ kind: 'contains', text: 'Paris', ignoreCase: false }), true);
  assert.equal(passes({ kind: 'contains', text: 'paris', ignoreCase: false }), false);
  assert.equal(passes({ kind: 'contains', text: 'paris', ignoreCase: true }), true);
  assert.equal(passes({ kind: 'not-contains', text: 'London', ignoreCase: false }), true);
  assert.equal(passes({ kind: 'not-contains', text: 'PARIS', ignoreCase: true }), false);
  assert.equal(passes({ kind: 'equals', text: 'the capital of france is paris.', ignoreCase: true }, answer('  The capital of France is Paris.\n')), true);
  assert.equal(passes({ kind: 'equals', text: 'The capital of France is Paris', ignoreCase: false }), false);
  assert.equal(
    message({ kind: 'contains', text: 'Berlin', ignoreCase: false }),
    'contains "Berlin" — failed: the answer was "The capital of France is Paris."',
  );
});

it('regex with its flags', () => {
  assert.equal(passes({ kind: 'regex', pattern: '^the capital', flags: '' }), false);
  assert.equal(passes({ kind: 'regex', pattern: '^the capital', flags: 'i' }), true);
  assert.equal(passes({ kind: 'regex', pattern: '^Paris', flags: 'm' }, answer('Capital:\nParis')), true);
});

it('JSON, bare or in one fenced block, and against a schema', () => {
  assert.equal(passes({ kind: 'json' }, answer('{"a": 1}')), true);
  assert.equal(passes({ kind: 'json' }, answer('```json\n{"a": 1}\n```')), true);
  assert.equal(passes({ kind: 'json' }, answer('Sure! {"a": 1}')), false);
  assert.match(message({ kind: 'json' }, answer('{"a": ')), /is JSON — failed: it is not JSON \(/);
  const schema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  assert.equal(passes({ kind: 'json', schema }, answer('{"name": "x"}')), true);
  assert.equal(passes({ kind: 'json', schema }, answer('{"name": 3}')), false);
  assert.match(message({ kind: 'json', schema }, answer('{}')), /\(root\) must have required property 'name'/);
});

it('max latency and max tokens pass at the limit and fail one above', () => {
  assert.equal(passes({ kind: 'max-latency-ms', limit: 100 }, answer('x', 100)), true);
  assert.equal(passes({ kind: 'max-latency-ms', limit: 100 }, answer('x', 101)), false);
  assert.equal(message({ kind: 'max-latency-ms', limit: 100 }, answer('x', 101)), 'answers within 100 ms — failed: it took 101 ms');
  assert.equal(passes({ kind: 'max-tokens', limit: 10 }, answer('x', 1, 10)), true);
  assert.equal(passes({ kind: 'max-tokens', limit: 10 }, answer('x', 1, 11)), false);
  assert.match(message({ kind: 'max-tokens', limit: 10 }, { text: 'x', latencyMs: 1, tokens: undefined }), /did not say how many tokens/);
});

it('measures similarity on words: Jaccard of distinct words, cosine of counts', () => {
  // {the, cat, sat} vs {the, cat, ran}: 2 shared of 4.
  assert.equal(similarity('jaccard', 'The cat sat.', 'the CAT ran'), 0.5);
  // counts (the:2, cat:1) · (the:1, dog:1) = 2; norms √5 and √2.
  assert.equal(similarity('cosine', 'the the cat', 'the dog'), 2 / (Math.sqrt(5) * Math.sqrt(2)));
  assert.equal(similarity('jaccard', '', '...'), 1);
  assert.equal(similarity('cosine', 'words', ''), 0);
  assert.equal(similarity('jaccard', 'Ça va très bien', 'ça va TRÈS bien'), 1);
  const similar = (threshold: number): Assertion => ({ kind: 'similar', text: 'the cat ran', measure: 'jaccard', threshold });
  assert.equal(passes(similar(0.5), answer('The cat sat.')), true);
  assert.equal(passes(similar(0.51), answer('The cat sat.')), false);
  assert.match(message(similar(0.51), answer('The cat sat.')), /its jaccard similarity was 0\.500/);
});
