// The emulator's persistent state: in-memory tables backed by a write-ahead log.
//
// - A table holds JSON records by partition (e.g. `account:region`, or a bucket name) and key.
// - `commit` applies a transaction in memory at once (so concurrent requests see each other and
//   uniqueness checks stay race-free) and resolves only after its log line is written in full and
//   fsync'ed. Transactions committed while a write is in flight share the next write+fsync (group
//   commit).
// - A write that fails (a full disk, a read-only one) takes back, in memory, the transactions it
//   carried and every one committed after them, in reverse order, so memory holds exactly what the
//   log holds; the log is cut back to its last whole record before anything else is written. Their
//   commits reject (the caller answers a retryable error) and the store goes on: the next write
//   that succeeds is the recovery, with no restart.
// - Requests read through a `session()`, which notes the transactions still in flight whose records
//   it has seen; its `settled()` resolves once those are durable and rejects if one was taken back,
//   so no response shows state that a crash, or a failed write, could still take back — while a
//   request that saw only durable records is answered even as writes fail.
// - On open: load snapshot.json, replay wal.log after the snapshot's sequence number, and cut the log
//   at its first torn or corrupt line. When the log grows past a threshold it is compacted into a new
//   snapshot of what is durable (written aside, fsync'ed, renamed) and emptied.
import { existsSync } from 'node:fs';
import { constants, type FileHandle, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, replaceFileDurably } from './durableFs';
import { type Change, decodeLog, encodeLogLine } from './logFormat';
import { type Order, type Ordered, OrderedIndexes, type SortKey } from './orders';
import { isStorageUnavailable, type StorageHealth } from './storageHealth';

/** A named table whose records have type `T`. Records are immutable: commit a new one to change it. */
export interface Table<T extends object> {
  readonly name: string;
  /** Type-only: never set. */
  readonly recordType?: T;
}

export function defineTable<T extends object>(name: string): Table<T> {
  return { name };
}

export function put<T extends object>(table: Table<T>, partition: string, key: string, value: T): Change {
  return { table: table.name, partition, key, value };
}

export function remove<T extends object>(table: Table<T>, partition: string, key: string): Change {
  return { table: table.name, partition, key };
}

export interface StoreOptions {
  log?: (line: string) => void;
  /** Compact the log into a snapshot once it is larger than this. */
  compactAfterBytes?: number;
  /** Told about every failed and successful write, for `/_emulator/health`. */
  health?: StorageHealth;
}

/** A commit whose log write failed; `cause` says why (a full disk is `isStorageUnavailable`). */
export class StoreWriteError extends Error {
  constructor(
    cause: Error,
    /**
     * Whether the log was cut back to its last whole record: if not, a crash before the next write
     * could still replay the taken-back transaction, so files it references must stay until then.
     */
    readonly logIsClean: boolean,
  ) {
    super(`the store could not write its log: ${cause.message}`, { cause });
  }
}

interface Snapshot {
  seq: number;
  tables: Record<string, Record<string, Record<string, object>>>;
}

/** A committed transaction, applied in memory, until its log line is durable or it is taken back. */
interface InFlight {
  seq: number;
  /** How many times the store had taken writes back when it was committed. */
  epoch: number;
  line: string;
  changes: Change[];
  /** What each change replaced, in the same order. */
  replaced: Change[];
  durable: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** partition → key → record */
type Partitions = Map<string, Map<string, object>>;

const SNAPSHOT_FILE = 'snapshot.json';
const LOG_FILE = 'wal.log';
const DEFAULT_COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

/** The tables, the log and the transactions in flight, shared by the store and its sessions. */
class LoggedTables {
  private readonly pending: InFlight[] = [];
  private writer: Promise<void> | undefined;
  lastCommit: Promise<void> = Promise.resolve();
  private closed = false;
  /** The last sequence number whose line is durable. */
  private durableSeq: number;
  /** Set while the log may end with bytes of a record that was not written whole. */
  private tornTail = false;
  private epoch = 0;
  /** The newest transaction in flight that wrote each record, each partition, each table. */
  private readonly inFlightByRecord = new Map<string, InFlight>();
  private readonly inFlightByPartition = new Map<string, InFlight>();
  private readonly inFlightByTable = new Map<string, InFlight>();
  /** Built on first read; every change in memory from then on goes through `apply`, which keeps them. */
  readonly orders = new OrderedIndexes();

  constructor(
    private readonly directory: string,
    readonly tables: Map<string, Partitions>,
    private seq: number,
    private readonly logFile: FileHandle,
    private logBytes: number,
    private readonly options: Required<Omit<StoreOptions, 'health'>> & Pick<StoreOptions, 'health'>,
  ) {
    this.durableSeq = seq;
  }

  /** The transaction in flight that last wrote a record, if any. */
  inFlightRecord(table: string, partition: string, key: string): InFlight | undefined {
    return this.inFlightByRecord.size === 0 ? undefined : this.inFlightByRecord.get(recordId(table, partition, key));
  }

  inFlightPartition(table: string, partition: string): InFlight | undefined {
    return this.inFlightByPartition.size === 0 ? undefined : this.inFlightByPartition.get(partitionId(table, partition));
  }

  inFlightTable(table: string): InFlight | undefined {
    return this.inFlightByTable.get(table);
  }

  commit(changes: Change[]): InFlight {
    if (this.closed) throw new Error('the store is closed');
    const seq = this.seq + 1;
    const line = encodeLogLine({ seq, changes });
    this.seq = seq;
    const replaced = changes.map((change) => this.apply(change));
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const durable = new Promise<void>((onDurable, onFailed) => {
      resolve = onDurable;
      reject = onFailed;
    });
    // A transaction nobody waits for must not crash the process when it is taken back.
    durable.catch(() => {});
    const transaction: InFlight = { seq, epoch: this.epoch, line, changes, replaced, durable, resolve, reject };
    for (const { table, partition, key } of changes) {
      this.inFlightByRecord.set(recordId(table, partition, key), transaction);
      this.inFlightByPartition.set(partitionId(table, partition), transaction);
      this.inFlightByTable.set(table, transaction);
    }
    this.pending.push(transaction);
    this.lastCommit = durable;
    this.writer ??= this.writePending();
    return transaction;
  }

  /** Applies a change in memory, to the records and their orders; returns the change that undoes it. */
  private apply(change: Change): Change {
    const previous = this.tables.get(change.table)?.get(change.partition)?.get(change.key);
    setRecord(this.tables, change);
    this.orders.changed(change.table, change.partition, change.key, previous, change.value);
    return { table: change.table, partition: change.partition, key: change.key, value: previous };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer;
    await this.logFile.close();
  }

  private async writePending(): Promise<void> {
    // Let every commit of the current event-loop turn join the first write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      const data = Buffer.from(batch.map((transaction) => transaction.line).join(''));
      try {
        await this.appendDurably(data);
      } catch (error) {
        await this.takeBack(batch, toError(error));
        continue;
      }
      this.options.health?.writeSucceeded();
      this.durableSeq = batch[batch.length - 1].seq;
      for (const transaction of batch) {
        this.forget(transaction);
        transaction.resolve();
      }
      if (this.logBytes > this.options.compactAfterBytes) await this.compact();
    }
    // In the same turn as the emptiness check: a commit from now on starts a new writer.
    this.writer = undefined;
  }

  /**
   * Writes `data` at the end of the last whole record, all of it (a write may take fewer bytes than
   * given), then fsyncs. Until both succeed the log may end in a partial record, which is cut off
   * before any later write: appending after it would hide everything after it from replay.
   */
  private async appendDurably(data: Buffer): Promise<void> {
    await this.cutTornTail();
    this.tornTail = true;
    for (let offset = 0; offset < data.length; ) {
      const { bytesWritten } = await this.logFile.write(data, offset, data.length - offset, this.logBytes + offset);
      if (bytesWritten <= 0) throw new Error('the log write made no progress');
      offset += bytesWritten;
    }
    await this.logFile.datasync();
    this.tornTail = false;
    this.logBytes += data.length;
  }

  private async cutTornTail(): Promise<void> {
    if (!this.tornTail) return;
    await this.logFile.truncate(this.logBytes);
    await this.logFile.sync();
    this.tornTail = false;
  }

  /**
   * After a failed write: undoes in memory the batch and everything committed after it, newest
   * first, so the tables hold what the log holds; rejects their commits; cuts the log back.
   */
  private async takeBack(batch: InFlight[], cause: Error): Promise<void> {
    const undone = [...batch, ...this.pending.splice(0)];
    for (let index = undone.length - 1; index >= 0; index--) {
      const { replaced } = undone[index];
      for (let change = replaced.length - 1; change >= 0; change--) this.apply(replaced[change]);
    }
    this.seq = undone[0].seq - 1;
    this.epoch++;
    this.inFlightByRecord.clear();
    this.inFlightByPartition.clear();
    this.inFlightByTable.clear();
    this.lastCommit = Promise.resolve();
    this.options.health?.writeFailed(cause);
    // Free the space the partial write took now; should this fail too, the next write tries again.
    const logIsClean = await this.cutTornTail().then(
      () => true,
      () => false,
    );
    const failure = new StoreWriteError(cause, logIsClean);
    this.options.log(`store: ${failure.message}; ${undone.length} unacknowledged transaction(s) taken back${isStorageUnavailable(cause) ? ', writes are refused until one succeeds again' : ''}`);
    for (const transaction of undone) transaction.reject(failure);
  }

  private forget(transaction: InFlight): void {
    for (const { table, partition, key } of transaction.changes) {
      deleteIfSame(this.inFlightByRecord, recordId(table, partition, key), transaction);
      deleteIfSame(this.inFlightByPartition, partitionId(table, partition), transaction);
      deleteIfSame(this.inFlightByTable, table, transaction);
    }
  }

  /**
   * Writes what is durable as a new snapshot and empties the log: the tables as they are, with the
   * transactions still waiting for their log write undone in the copy.
   */
  private async compact(): Promise<void> {
    const snapshot: Snapshot = { seq: this.durableSeq, tables: {} };
    for (const [table, partitions] of this.tables) {
      snapshot.tables[table] = {};
      for (const [partition, records] of partitions) snapshot.tables[table][partition] = Object.fromEntries(records);
    }
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const { replaced } = this.pending[index];
      for (let change = replaced.length - 1; change >= 0; change--) setSnapshotRecord(snapshot, replaced[change]);
    }
    try {
      await replaceFileDurably(join(this.directory, SNAPSHOT_FILE), JSON.stringify(snapshot));
    } catch (error) {
      // Nothing is lost: the old snapshot and the full log are still valid. Retry after more writes.
      this.options.log(`store: compaction failed, will retry: ${toError(error).message}`);
      this.options.compactAfterBytes *= 2;
      return;
    }
    // The log's lines are all in the snapshot now (replay skips them by sequence number), so an
    // error here loses nothing either: writing goes on after them.
    try {
      await this.logFile.truncate(0);
      this.logBytes = 0;
      await this.logFile.sync();
    } catch (error) {
      this.options.log(`store: emptying the log after compaction failed: ${toError(error).message}`);
    }
  }
}

/**
 * The store, or a session of it (`session()`): the same tables, read and committed through one of
 * them or the other. A session notes what it read that is still in flight, for `settled()`.
 */
export class Store {
  /** Per epoch, the newest transaction in flight this session read a record of. */
  private readonly seen: Map<number, InFlight> | undefined;
  private committedAny = false;

  private constructor(
    private readonly tables: LoggedTables,
    tracksReads: boolean,
  ) {
    this.seen = tracksReads ? new Map() : undefined;
  }

  static async open(directory: string, options: StoreOptions = {}): Promise<Store> {
    const settings = { log: () => {}, compactAfterBytes: DEFAULT_COMPACT_AFTER_BYTES, ...options };
    await mkdir(directory, { recursive: true });
    await rm(join(directory, `${SNAPSHOT_FILE}.tmp`), { force: true });

    const tables = new Map<string, Partitions>();
    let seq = 0;
    const snapshotPath = join(directory, SNAPSHOT_FILE);
    if (existsSync(snapshotPath)) {
      const snapshot = readSnapshot(snapshotPath, await readFile(snapshotPath, 'utf8'));
      seq = snapshot.seq;
      for (const [table, partitions] of Object.entries(snapshot.tables)) {
        for (const [partition, records] of Object.entries(partitions)) {
          for (const [key, value] of Object.entries(records)) setRecord(tables, { table, partition, key, value });
        }
      }
    }

    // Not O_APPEND: records are written at the end of the last whole one, over a torn tail if any.
    const logFile = await open(join(directory, LOG_FILE), constants.O_RDWR | constants.O_CREAT);
    // Make a newly created log's directory entry durable too.
    await fsyncDirectory(directory);
    const { transactions, intactBytes } = decodeLog(await logFile.readFile());
    for (const transaction of transactions) {
      // Lines up to the snapshot's sequence number were compacted into it just before a crash.
      if (transaction.seq <= seq) continue;
      transaction.changes.forEach((change) => setRecord(tables, change));
      seq = transaction.seq;
    }
    const { size } = await logFile.stat();
    if (intactBytes < size) {
      settings.log(`store: discarding ${size - intactBytes} bytes of unacknowledged log tail`);
      await logFile.truncate(intactBytes);
      await logFile.sync();
    }
    return new Store(new LoggedTables(directory, tables, seq, logFile, intactBytes, settings), false);
  }

  /** The same store for one request: `settled()` then waits for (only) what this session read or wrote. */
  session(): Store {
    return new Store(this.tables, true);
  }

  /** Whether anything was committed through this store or session. */
  get committed(): boolean {
    return this.committedAny;
  }

  get<T extends object>(table: Table<T>, partition: string, key: string): T | undefined {
    this.saw(this.tables.inFlightRecord(table.name, partition, key));
    return this.tables.tables.get(table.name)?.get(partition)?.get(key) as T | undefined;
  }

  /** The records of one partition as `[key, record]` pairs, in no particular order. */
  entries<T extends object>(table: Table<T>, partition: string): [string, T][] {
    this.saw(this.tables.inFlightPartition(table.name, partition));
    const records = this.tables.tables.get(table.name)?.get(partition);
    return records ? ([...records] as [string, T][]) : [];
  }

  /**
   * The records of one partition in `order`, from just after `after` on (just before it, going
   * down, when `descending`); lazily, so reading the first few costs about what they cost.
   */
  ordered<T extends object>(order: Order<T>, partition: string, descending: boolean, after?: SortKey): Iterable<Ordered<T>> {
    this.saw(this.tables.inFlightPartition(order.table, partition));
    return this.tables.orders.walk(order, partition, this.tables.tables.get(order.table)?.get(partition), descending, after);
  }

  count<T extends object>(table: Table<T>, partition: string): number {
    this.saw(this.tables.inFlightPartition(table.name, partition));
    return this.tables.tables.get(table.name)?.get(partition)?.size ?? 0;
  }

  /** Every record of a table, across partitions. */
  *scan<T extends object>(table: Table<T>): Iterable<T> {
    this.saw(this.tables.inFlightTable(table.name));
    for (const records of this.tables.tables.get(table.name)?.values() ?? []) yield* records.values() as Iterable<T>;
  }

  /**
   * Applies the changes atomically; resolves once they are durable. Rejects with a StoreWriteError
   * if the log could not take them, and then they are no longer applied either.
   */
  commit(changes: Change[]): Promise<void> {
    let transaction: InFlight;
    try {
      transaction = this.tables.commit(changes);
    } catch (error) {
      return Promise.reject(toError(error));
    }
    this.committedAny = true;
    this.saw(transaction);
    return transaction.durable;
  }

  /**
   * The store: resolves once every transaction committed so far is durable. A session: once
   * everything it read or wrote is, rejecting if any of that was taken back.
   */
  async settled(): Promise<void> {
    if (!this.seen) return this.tables.lastCommit;
    // As before sessions: no response overtakes the writes committed before it ends.
    await this.tables.lastCommit.catch(() => {});
    for (const transaction of this.seen.values()) await transaction.durable;
  }

  close(): Promise<void> {
    return this.tables.close();
  }

  private saw(transaction: InFlight | undefined): void {
    if (!transaction || !this.seen) return;
    const newest = this.seen.get(transaction.epoch);
    if (!newest || newest.seq < transaction.seq) this.seen.set(transaction.epoch, transaction);
  }
}

function recordId(table: string, partition: string, key: string): string {
  return `${table}\u0000${partition}\u0000${key}`;
}

function partitionId(table: string, partition: string): string {
  return `${table}\u0000${partition}`;
}

function deleteIfSame<K>(map: Map<K, InFlight>, key: K, transaction: InFlight): void {
  if (map.get(key) === transaction) map.delete(key);
}

function setRecord(tables: Map<string, Partitions>, { table, partition, key, value }: Change): void {
  let partitions = tables.get(table);
  if (!partitions) tables.set(table, (partitions = new Map()));
  let records = partitions.get(partition);
  if (value === undefined) {
    records?.delete(key);
    if (records?.size === 0) partitions.delete(partition);
    return;
  }
  if (!records) partitions.set(partition, (records = new Map()));
  records.set(key, value);
}

function setSnapshotRecord(snapshot: Snapshot, { table, partition, key, value }: Change): void {
  const partitions = (snapshot.tables[table] ??= {});
  const records = (partitions[partition] ??= {});
  if (value === undefined) delete records[key];
  else records[key] = value;
}

/** Snapshots are replaced atomically, so an unreadable one was damaged outside the emulator. */
function readSnapshot(path: string, text: string): Snapshot {
  try {
    return JSON.parse(text) as Snapshot;
  } catch (error) {
    throw new Error(`${path} is damaged: ${toError(error).message}`);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
