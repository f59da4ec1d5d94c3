import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BlobStore } from '../../emulator/store/blobs';
import { encodeLogLine } from '../../emulator/store/logFormat';
import { defineTable, put, remove, Store } from '../../emulator/store/store';

interface Note {
  text: string;
}
const notes = defineTable<Note>('notes');

let directory: string;
beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'emulator-store-'))));
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('Store', () => {
  it('keeps committed records across reopening, by partition', async () => {
    const store = await Store.open(directory);
    await store.commit([put(notes, 'a', 'one', { text: '1' }), put(notes, 'b', 'one', { text: 'b1' })]);
    await store.commit([put(notes, 'a', 'two', { text: '2' })]);
    await store.commit([remove(notes, 'b', 'one')]);
    await store.close();

    const reopened = await Store.open(directory);
    assert.deepEqual(reopened.entries(notes, 'a').sort(), [['one', { text: '1' }], ['two', { text: '2' }]]);
    assert.equal(reopened.count(notes, 'b'), 0);
    assert.deepEqual(reopened.get(notes, 'a', 'two'), { text: '2' });
    assert.deepEqual([...reopened.scan(notes)].length, 2);
    await reopened.close();
  });

  it('shows a commit at once and resolves settled() once all commits are durable', async () => {
    const store = await Store.open(directory);
    const commits = Array.from({ length: 200 }, (_, index) => store.commit([put(notes, 'p', `k${index}`, { text: String(index) })]));
    assert.equal(store.count(notes, 'p'), 200, 'applied in memory before the write');
    await store.settled();
    await Promise.all(commits);
    assert.equal(readFileSync(join(directory, 'wal.log'), 'utf8').split('\n').length, 201);
    await store.close();
    await assert.rejects(store.commit([put(notes, 'p', 'late', { text: '' })]), /closed/);
  });

  it('cuts the log at a torn or corrupt line and recovers the rest', async () => {
    const logged: string[] = [];
    const store = await Store.open(directory);
    await store.commit([put(notes, 'p', 'kept', { text: 'kept' })]);
    await store.close();
    const logPath = join(directory, 'wal.log');
    const intactSize = statSync(logPath).size;
    const valid = encodeLogLine({ seq: 3, changes: [{ table: 'notes', partition: 'p', key: 'after', value: { text: 'lost' } }] });
    const corrupt = valid.replace('lost', 'LOST');
    appendFileSync(logPath, corrupt + valid + valid.slice(0, 20));

    const reopened = await Store.open(directory, { log: (line) => logged.push(line) });
    assert.deepEqual(reopened.get(notes, 'p', 'kept'), { text: 'kept' });
    assert.equal(reopened.get(notes, 'p', 'after'), undefined, 'nothing after the first bad line is trusted');
    assert.equal(statSync(logPath).size, intactSize);
    assert.match(logged.join('\n'), /discarding \d+ bytes/);
    await reopened.commit([put(notes, 'p', 'next', { text: 'next' })]);
    await reopened.close();
    const again = await Store.open(directory);
    assert.deepEqual(again.get(notes, 'p', 'next'), { text: 'next' });
    await again.close();
  });

  it('compacts the log into a snapshot and replays only what came after it', async () => {
    const store = await Store.open(directory, { compactAfterBytes: 2000 });
    for (let index = 0; index < 100; index++) {
      await store.commit([put(notes, 'p', `k${index % 10}`, { text: String(index) })]);
    }
    await store.commit([remove(notes, 'p', 'k3')]);
    await store.close();
    assert.ok(existsSync(join(directory, 'snapshot.json')));
    assert.ok(statSync(join(directory, 'wal.log')).size < 2000);

    const reopened = await Store.open(directory);
    assert.equal(reopened.count(notes, 'p'), 9);
    assert.deepEqual(reopened.get(notes, 'p', 'k9'), { text: '99' });
    await reopened.close();
  });

  it('skips log lines a snapshot already holds (a crash between snapshot and log reset)', async () => {
    writeFileSync(join(directory, 'snapshot.json'), JSON.stringify({ seq: 2, tables: { notes: { p: { k: { text: 'from snapshot' } } } } }));
    writeFileSync(
      join(directory, 'wal.log'),
      [
        encodeLogLine({ seq: 1, changes: [{ table: 'notes', partition: 'p', key: 'k', value: { text: 'old' } }] }),
        encodeLogLine({ seq: 2, changes: [{ table: 'notes', partition: 'p', key: 'gone', value: { text: 'old' } }] }),
        encodeLogLine({ seq: 3, changes: [{ table: 'notes', partition: 'p', key: 'new', value: { text: 'new' } }] }),
      ].join(''),
    );
    writeFileSync(join(directory, 'snapshot.json.tmp'), '{"half');
    const store = await Store.open(directory);
    assert.deepEqual(store.get(notes, 'p', 'k'), { text: 'from snapshot' });
    assert.equal(store.get(notes, 'p', 'gone'), undefined);
    assert.deepEqual(store.get(notes, 'p', 'new'), { text: 'new' });
    assert.equal(existsSync(join(directory, 'snapshot.json.tmp')), false);
    await store.close();
  });
});

describe('BlobStore', () => {
  async function* chunks(...parts: (string | Buffer)[]) {
    for (const part of parts) yield Buffer.from(part);
  }

  it('writes a blob and reads it whole or by range', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    const { name, size } = await blobs.write(chunks('hello ', 'world'));
    assert.match(name, /^[0-9a-f]{32}$/);
    assert.equal(size, 11);
    assert.equal(await text(await blobs.read([{ name, size }])), 'hello world');
    assert.equal(await text(await blobs.read([{ name, size }], { start: 6, end: 10 })), 'world');
  });

  it('reads a body of several blobs in order, whole or by a range across them', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    const segments = await Promise.all(['abc', 'defgh', '', 'ij'].map((part) => blobs.write(chunks(part))));
    assert.equal(await text(await blobs.read(segments)), 'abcdefghij');
    assert.equal(await text(await blobs.read(segments, { start: 2, end: 8 })), 'cdefghi');
    assert.equal(await text(await blobs.read(segments, { start: 3, end: 4 })), 'de');
    assert.equal(await text(await blobs.read([])), '');
    // A reader keeps every blob of the body, not only the one it is reading.
    const reader = await blobs.read(segments);
    await blobs.remove(segments[3].name);
    assert.equal(await text(reader), 'abcdefghij');
  });

  it('leaves nothing behind when the source fails', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('client went away');
    }
    await assert.rejects(blobs.write(failing()), /client went away/);
    assert.deepEqual(readdirSync(join(directory, 'tmp')), []);
    assert.deepEqual(readdirSync(directory), ['tmp']);
  });

  it('deletes orphans and unfinished uploads on open', async () => {
    mkdirSync(join(directory, 'tmp'));
    writeFileSync(join(directory, 'tmp', 'a'.repeat(32)), 'unfinished');
    writeFileSync(join(directory, 'b'.repeat(32)), 'orphan');
    writeFileSync(join(directory, 'c'.repeat(32)), 'referenced');
    writeFileSync(join(directory, 'not-a-blob.txt'), 'left alone');
    await BlobStore.open(directory, (name) => name === 'c'.repeat(32));
    assert.deepEqual(readdirSync(directory).sort(), ['c'.repeat(32), 'not-a-blob.txt', 'tmp']);
    assert.deepEqual(readdirSync(join(directory, 'tmp')), []);
  });

  it('defers deleting a blob until its readers are done', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    const { name, size } = await blobs.write(chunks('x'.repeat(100_000)));
    const reader = await blobs.read([{ name, size }]);
    await blobs.remove(name);
    assert.ok(existsSync(join(directory, name)), 'still there while being read');
    assert.equal((await text(reader)).length, 100_000);
    // The last reader's close triggers an asynchronous unlink: wait for it, within a bound.
    for (let attempt = 0; attempt < 200 && existsSync(join(directory, name)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(existsSync(join(directory, name)), false, 'removed once the reader is done');
  });

  /** Bytes that differ from MiB to MiB, so a reused buffer sent twice would show. */
  function varied(bytes: number, seed: number): Buffer {
    const data = Buffer.alloc(bytes);
    for (let index = 0; index < bytes; index++) data[index] = (index * 31 + Math.floor(index / 1000) + seed) & 0xff;
    return data;
  }

  /** A destination that takes its time: it copies what it gets a tick later, then stops after `limit` bytes. */
  function slowDestination(limit = Number.POSITIVE_INFINITY): { destination: Writable; received: Buffer[] } {
    const received: Buffer[] = [];
    let bytes = 0;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        setImmediate(() => {
          received.push(Buffer.from(chunk));
          bytes += chunk.length;
          if (bytes >= limit) destination.destroy();
          else callback();
        });
      },
    });
    return { destination, received };
  }

  it('sends a body through reused buffers with the same bytes as reading it', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    // More than the buffers writeTo cycles through, over three blobs and a range across them.
    const bodies = [varied(3 * 1024 * 1024 + 5, 1), varied(10, 2), varied(4 * 1024 * 1024, 3)];
    const segments = await Promise.all(bodies.map((body) => blobs.write(chunks(body))));
    const whole = Buffer.concat(bodies);
    for (const range of [undefined, { start: 1000, end: whole.length - 7 }]) {
      const expected = range ? whole.subarray(range.start, range.end + 1) : whole;
      const { destination, received } = slowDestination();
      await (await blobs.read(segments, range)).writeTo(destination);
      assert.ok(Buffer.concat(received).equals(expected), `bytes sent ${range ? 'for a range' : 'whole'}`);
      assert.ok(destination.writableFinished, 'the destination is ended');
    }
  });

  it('stops sending when the destination closes early, and lets the blob go', async () => {
    const blobs = await BlobStore.open(directory, () => true);
    const { name, size } = await blobs.write(chunks(varied(8 * 1024 * 1024, 4)));
    const { destination, received } = slowDestination(2 * 1024 * 1024);
    const sending = (await blobs.read([{ name, size }])).writeTo(destination);
    await sending;
    assert.ok(Buffer.concat(received).length < size, 'stopped before the end');
    await blobs.remove(name);
    for (let attempt = 0; attempt < 200 && existsSync(join(directory, name)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(existsSync(join(directory, name)), false, 'the stopped sender no longer holds the blob');
  });
});
