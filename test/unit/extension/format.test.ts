// Unit tests of formatting.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseName } from '../../../src/pipeline/datasets';
import { countOf, formatBytes, relativeTime } from '../../../src/format';

describe('formatting', () => {
  it('formats sizes the way file explorers do', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MB');
    assert.equal(formatBytes(3 * 1024 ** 4), '3.0 TB');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    assert.equal(relativeTime(new Date(now - 10_000), now), 'just now');
    assert.equal(relativeTime(new Date(now - 5 * 60_000), now), '5 min ago');
    assert.equal(relativeTime(new Date(now - 3 * 3600_000), now), '3 h ago');
    assert.equal(relativeTime(new Date('2026-11-01T08:00:00Z'), now), '2026-11-01');
  });

  it('names keys and prefixes by their last segment', () => {
    assert.equal(baseName('data/train/part-0.jsonl'), 'part-0.jsonl');
    assert.equal(baseName('data/train/'), 'train/');
    assert.equal(baseName('top.txt'), 'top.txt');
  });
});

describe('countOf', () => {
  it('says one thing in the singular and every other count in the plural, grouped', () => {
    assert.deepEqual([countOf(0, 'file'), countOf(1, 'file'), countOf(2, 'file'), countOf(1001, 'object')], ['0 files', '1 file', '2 files', '1,001 objects']);
  });
});
