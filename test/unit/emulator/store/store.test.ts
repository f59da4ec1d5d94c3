// Unit tests of Store.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, afterEach, before, beforeEach, describe, it, type TestContext } from 'node:test';
import { BlobStore } from '../../../../emulator/store/blobs';
import { encodeLogLine } from '../../../../emulator/store/logFormat';
import { StorageHealth } from '../../../../emulator/store/storageHealth';
import { compareKeys, defineOrder } from '../../../../emulator/store/orders';
import { defineTable, put, remove, Store, StoreWriteError } from '../../../../emulator/store/store';
import { mountTmpfs, type Tmpfs } from '../../../tmpfs';
import { until } from '../../../../harness/waiting';

interface Note {
  text: string;
}
const notes = defineTable<Note>('notes');
/** Notes by text; a key ending with the text alone, so two notes of one text tie (the store keeps both). */
const byText = defineOrder(notes, (note: Note) => [note.text]);

/** What `byText` should give: the partition's notes sorted by text, then by their store key. */
function sortedByText(store: Store, partition: string): string[] {
  return store
    .entries(notes, partition)
    .sort(([keyA, a], [keyB, b]) => compareKeys([a.text, keyA], [b.text, keyB]))
    .map(([, note]) => note.text);
}

function orderedTexts(store: Store, partition: string, descending = false, after?: readonly string[]): string[] {
  return [...store.ordered(byText, partition, descending, after)].map(({ record }) => record.text);
}

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

  it('keeps an order in step with every put, replacement and removal, and reads it from a position either way', async () => {
    const store = await Store.open(directory);
    await store.commit(Array.from({ length: 300 }, (_, index) => put(notes, 'p', `k${index}`, { text: `t${String((index * 7) % 100).padStart(3, '0')}` })));
    await store.commit([put(notes, 'other', 'k0', { text: 'a' })]);
    assert.deepEqual(orderedTexts(store, 'p'), sortedByText(store, 'p'), 'built from what is there');
    // After the order is built: new records, replaced ones (a new text moves them), removed ones.
    await store.commit(Array.from({ length: 50 }, (_, index) => put(notes, 'p', `new${index}`, { text: `t${String(index * 3).padStart(3, '0')}` })));
    await store.commit(Array.from({ length: 40 }, (_, index) => put(notes, 'p', `k${index}`, { text: `moved${index}` })));
    await store.commit(Array.from({ length: 30 }, (_, index) => remove(notes, 'p', `k${100 + index}`)));
    const expected = sortedByText(store, 'p');
    assert.equal(expected.length, 320);
    assert.deepEqual(orderedTexts(store, 'p'), expected);
    assert.deepEqual(orderedTexts(store, 'p', true), [...expected].reverse());
    assert.deepEqual(orderedTexts(store, 'other'), ['a'], 'partitions apart');
    assert.deepEqual(orderedTexts(store, 'none'), []);
    // From a position: strictly after it going up, strictly before it going down, ties included.
    assert.deepEqual(orderedTexts(store, 'p', false, ['t050']), expected.filter((text) => text > 't050'));
    assert.deepEqual(orderedTexts(store, 'p', true, ['t050']), expected.filter((text) => text < 't050').reverse());
    await store.close();
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
    // The last reader's close triggers an asynchronous unlink.
    await until('the blob to be removed once its reader is done', () => (existsSync(join(directory, name)) ? undefined : true), { intervalMs: 10 });
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
    await until('the stopped sender to let the blob go (removed)', () => (existsSync(join(directory, name)) ? undefined : true), { intervalMs: 10 });
  });
});

/** Bytes free for files on the file system of `path`. */
function freeBytes(path: string): number {
  const { bavail, bsize } = statfsSync(path);
  return bavail * bsize;
}

/** A file that takes all but about `leave` bytes of the file system's free space. */
function fillAllBut(path: string, leave: number): void {
  writeFileSync(path, Buffer.alloc(Math.max(freeBytes(join(path, '..')) - leave, 0)));
}

describe('Store on a full disk', () => {
  let disk: Tmpfs | string;
  before(() => (disk = mountTmpfs(2 * 1024 * 1024)));
  after(() => typeof disk !== 'string' && disk.unmount());
  /** The tmpfs, emptied; undefined (and the test skipped, saying why) where none can be mounted. */
  function fullDisk(t: TestContext): Tmpfs | undefined {
    if (typeof disk === 'string') {
      t.skip(disk);
      return undefined;
    }
    for (const name of readdirSync(disk.path)) rmSync(join(disk.path, name), { recursive: true, force: true });
    return disk;
  }

  /** A record of about `bytes` bytes in the log. */
  const sized = (index: number, bytes: number): Note => ({ text: `${index}:`.padEnd(bytes, 'x') });

  it('acknowledges only what is written whole, takes back the rest, and takes writes again once there is space', async (t) => {
    const tmpfs = fullDisk(t);
    if (!tmpfs) return;
    const directory = join(tmpfs.path, 'store');
    const health = new StorageHealth(directory);
    const logged: string[] = [];
    const store = await Store.open(directory, { health, log: (line) => logged.push(line) });
    await store.commit([put(notes, 'p', 'before', { text: 'before' })]);
    assert.deepEqual(orderedTexts(store, 'p'), ['before'], 'the order is built before the writes that are taken back');
    const filler = join(tmpfs.path, 'filler');
    fillAllBut(filler, 96 * 1024);

    // Waves of concurrent commits of 6 KB records, until the disk refuses them.
    const acknowledged: string[] = [];
    const refused: string[] = [];
    for (let wave = 0; wave < 40 && refused.length < 8; wave++) {
      const keys = Array.from({ length: 4 }, (_, index) => `k${wave}-${index}`);
      const results = await Promise.allSettled(keys.map((key, index) => store.commit([put(notes, 'p', key, sized(wave * 4 + index, 6000))])));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return acknowledged.push(keys[index]);
        assert.ok(result.reason instanceof StoreWriteError, String(result.reason));
        assert.equal((result.reason.cause as NodeJS.ErrnoException).code, 'ENOSPC');
        refused.push(keys[index]);
      });
    }
    assert.ok(acknowledged.length > 0 && refused.length > 0, `acknowledged ${acknowledged.length}, refused ${refused.length}`);
    for (const key of acknowledged) assert.ok(store.get(notes, 'p', key), `${key} is visible`);
    for (const key of refused) assert.equal(store.get(notes, 'p', key), undefined, `${key} was taken back`);
    assert.deepEqual(orderedTexts(store, 'p'), sortedByText(store, 'p'), 'the order lost what was taken back too');
    assert.equal(orderedTexts(store, 'p').length, acknowledged.length + 1);
    assert.equal(health.degraded, true);
    assert.equal((await health.state()).status, 'degraded');
    assert.match(logged.join('\n'), /taken back/);

    // Space returns: the same store writes again, no restart.
    rmSync(filler);
    await store.commit([put(notes, 'p', 'after', { text: 'after' })]);
    assert.equal(health.degraded, false);
    assert.deepEqual(await health.state(), { status: 'ok' });
    await store.close();

    const reopenedLog: string[] = [];
    const reopened = await Store.open(directory, { log: (line) => reopenedLog.push(line) });
    assert.deepEqual(reopenedLog, [], 'the log ended at a whole record: nothing to discard');
    for (const key of [...acknowledged, 'before', 'after']) assert.ok(reopened.get(notes, 'p', key), `${key} survives`);
    for (const key of refused) assert.equal(reopened.get(notes, 'p', key), undefined, `${key} never appears`);
    await reopened.close();
  });

  it('fails a session that read what was taken back, and answers one that read only durable records', async (t) => {
    const tmpfs = fullDisk(t);
    if (!tmpfs) return;
    const directory = join(tmpfs.path, 'sessions');
    const store = await Store.open(directory);
    await store.commit([put(notes, 'p', 'durable', { text: 'durable' })]);
    const filler = join(tmpfs.path, 'filler');
    fillAllBut(filler, 0);

    const sawTakenBack = store.session();
    const sawDurable = store.session();
    const failing = store.commit([put(notes, 'p', 'doomed', sized(0, 64 * 1024))]);
    assert.ok(sawTakenBack.get(notes, 'p', 'doomed'), 'visible while in flight');
    assert.deepEqual(sawDurable.get(notes, 'p', 'durable'), { text: 'durable' });

    await assert.rejects(failing, StoreWriteError);
    await assert.rejects(sawTakenBack.settled(), StoreWriteError);
    await sawDurable.settled();
    assert.equal(store.get(notes, 'p', 'doomed'), undefined);
    // A session that listed the partition saw the in-flight record too.
    const lister = store.session();
    const listing = store.commit([put(notes, 'p', 'doomed-too', sized(1, 64 * 1024))]);
    assert.equal(lister.count(notes, 'p'), 2);
    await assert.rejects(listing, StoreWriteError);
    await assert.rejects(lister.settled(), StoreWriteError);
    rmSync(filler);
    await store.close();
  });
});
