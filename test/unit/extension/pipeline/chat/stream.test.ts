// The chat's tokens per second: measured over the generation of at least two tokens, or not at all.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generationRate } from '../../../../../src/pipeline/chat/stream';

describe('generationRate', () => {
  it('counts the tokens after the first text over the time from the first text to the last', () => {
    // 1 token at 100 ms, 10 more by 600 ms: 10 tokens generated in 500 ms.
    assert.equal(generationRate({ tokens: 11, tokensAtFirst: 1, firstTokenAt: 100, lastTokenAt: 600 }), 20);
    // The time to the first token is latency, not generation: it does not count.
    assert.equal(generationRate({ tokens: 2, tokensAtFirst: 1, firstTokenAt: 5000, lastTokenAt: 5100 }), 10);
  });

  it('is not measured ("—") when it cannot be: one token, all tokens in one piece, no text', () => {
    assert.equal(generationRate({ tokens: 1, tokensAtFirst: 1, firstTokenAt: 100, lastTokenAt: 100 }), undefined);
    assert.equal(generationRate({ tokens: 40, tokensAtFirst: 40, firstTokenAt: 100, lastTokenAt: 100 }), undefined);
    // More text parts but no token after the first one's (e.g. only a finish event).
    assert.equal(generationRate({ tokens: 3, tokensAtFirst: 3, firstTokenAt: 100, lastTokenAt: 900 }), undefined);
    assert.equal(generationRate({ tokens: 0, tokensAtFirst: 0 }), undefined);
  });

  it('is not measured at its edges: tokens after the first text but no time between, a time missing, one token in all', () => {
    // The same instant: no span to divide by (not Infinity); a millisecond later it is measured.
    assert.equal(generationRate({ tokens: 3, tokensAtFirst: 1, firstTokenAt: 100, lastTokenAt: 100 }), undefined);
    assert.equal(generationRate({ tokens: 3, tokensAtFirst: 1, firstTokenAt: 100, lastTokenAt: 101 }), 2000);
    assert.equal(generationRate({ tokens: 3, tokensAtFirst: 1, lastTokenAt: 100 }), undefined, 'no first time');
    assert.equal(generationRate({ tokens: 3, tokensAtFirst: 1, firstTokenAt: 100 }), undefined, 'no last time');
    // One token in all (the first text came without one): there is no second token to time.
    assert.equal(generationRate({ tokens: 1, tokensAtFirst: 0, firstTokenAt: 100, lastTokenAt: 200 }), undefined);
  });
});
