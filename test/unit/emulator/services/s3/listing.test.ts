// Unit tests of compareKeys, listPage and keyEncoding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, keyEncoding, listPage } from '../../../../../emulator/services/s3/listing';

describe('compareKeys', () => {
  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    const keys = ['😀', '\uFFFD', 'b', 'a', '\uE000', 'ab', ''];
    assert.deepEqual([...keys].sort(compareKeys), ['', 'a', 'ab', 'b', '\uE000', '\uFFFD', '😀']);
    const utf8Order = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...keys].sort(compareKeys), utf8Order);
  });
});

describe('listPage', () => {
  const keys = ['a/1', 'a/2', 'b', 'c/x/1', 'c/y', 'd'].sort(compareKeys);

  it('rolls keys up into common prefixes and counts both toward max-keys', () => {
    assert.deepEqual(listPage(keys, { prefix: '', delimiter: '/', maxKeys: 3 }), {
      entries: ['b'],
      commonPrefixes: ['a/', 'c/'],
      isTruncated: true,
      last: 'c/',
    });
    assert.deepEqual(listPage(keys, { prefix: '', delimiter: '/', after: 'c/', maxKeys: 3 }), {
      entries: ['d'],
      commonPrefixes: [],
      isTruncated: false,
      last: 'd',
    });
  });

  it('lists under a prefix, with nested common prefixes', () => {
    assert.deepEqual(listPage(keys, { prefix: 'c/', delimiter: '/', maxKeys: 10 }), {
      entries: ['c/y'],
      commonPrefixes: ['c/x/'],
      isTruncated: false,
      last: 'c/y',
    });
  });

  it('resumes after a key, including one before the prefix', () => {
    assert.deepEqual(listPage(keys, { prefix: '', after: 'a/2', maxKeys: 2 }).entries, ['b', 'c/x/1']);
    assert.deepEqual(listPage(keys, { prefix: 'c/', after: 'a', maxKeys: 10 }).entries, ['c/x/1', 'c/y']);
  });

  it('lists a key that is exactly the prefix, first', () => {
    assert.deepEqual(listPage(keys, { prefix: 'b', maxKeys: 10 }).entries, ['b']);
    assert.deepEqual(listPage(['a', 'a/1', 'a/2', 'b'], { prefix: 'a', maxKeys: 10 }).entries, ['a', 'a/1', 'a/2']);
  });

  it('answers an empty, untruncated page for max-keys 0', () => {
    assert.deepEqual(listPage(keys, { prefix: '', maxKeys: 0 }), { entries: [], commonPrefixes: [], isTruncated: false });
  });
});

describe('keyEncoding', () => {
  it('writes keys as they are without encoding-type, percent-encoded with url, and refuses any other value as S3 does', () => {
    assert.equal(keyEncoding(undefined)('a b/😀'), 'a b/😀');
    assert.equal(keyEncoding('url')('a b/😀'), 'a%20b%2F%F0%9F%98%80');
    for (const encodingType of ['base64', 'gzip']) {
      assert.throws(
        () => keyEncoding(encodingType),
        { code: 'InvalidArgument', status: 400, message: 'Invalid Encoding Method specified in Request', details: { ArgumentName: 'encoding-type', ArgumentValue: encodingType } },
        `encoding-type ${JSON.stringify(encodingType)}`,
      );
    }
  });
});
