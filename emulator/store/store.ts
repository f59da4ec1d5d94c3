// The emulator's persistent state: in-memory tables backed by a write-ahead log.
//
// - A table holds JSON records by partition (e.g. `account:region`, or a bucket name) and key.
// - `commit` applies a transaction in memory at once (so concurrent requests see each other and
//   uniqueness checks stay race-free) and resolves only after its log line is written and fsync'ed.
//   Transactions committed while a write is in flight share the next write+fsync (group commit).
// - `settled` resolves once everything committed so far is durable; `runHandler` waits for it before
//   a response goes out, so no response ever shows state that a crash could still take back.
// - On open: load snapshot.json, replay wal.log after the snapshot's sequence number, and cut the log
//   at its first torn or corrupt line. When the log grows past a threshold it is compacted into a new
//   snapshot (written aside, fsync'ed, renamed) and emptied.
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, replaceFileDurably } from './durableFs';
import { type Change, decodeLog, encodeLogLine } from './logFormat';

export type { Change } from './logFormat';

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
}

interface Snapshot {
  seq: number;
  tables: Record<string, Record<string, Record<string, object>>>;
}

interface PendingWrite {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** partition → key → record */
type Partitions = Map<string, Map<string, object>>;

const SNAPSHOT_FILE = 'snapshot.json';
const LOG_FILE = 'wal.log';
const DEFAULT_COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

export class Store {
  private readonly pending: PendingWrite[] = [];
  private writer: Promise<void> | undefined;
  private lastCommit: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly directory: string,
    private readonly tables: Map<string, Partitions>,
    private seq: number,
    private readonly logFile: FileHandle,
    private logBytes: number,
    private readonly options: Required<StoreOptions>,
  ) {}

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

    const logFile = await open(join(directory, LOG_FILE), 'a+');
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
    return new Store(directory, tables, seq, logFile, intactBytes, settings);
  }

  get<T extends object>(table: Table<T>, partition: string, key: string): T | undefined {
    return this.tables.get(table.name)?.get(partition)?.get(key) as T | undefined;
  }

  /** The records of one partition as `[key, record]` pairs, in no particular order. */
  entries<T extends object>(table: Table<T>, partition: string): [string, T][] {
    const records = this.tables.get(table.name)?.get(partition);
    return records ? ([...records] as [string, T][]) : [];
  }

  count<T extends object>(table: Table<T>, partition: string): number {
    return this.tables.get(table.name)?.get(partition)?.size ?? 0;
  }

  /** Every record of a table, across partitions. */
  *scan<T extends object>(table: Table<T>): Iterable<T> {
    for (const records of this.tables.get(table.name)?.values() ?? []) yield* records.values() as Iterable<T>;
  }

  /** Applies the changes atomically; resolves once they are durable. */
  commit(changes: Change[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const line = encodeLogLine({ seq: this.seq + 1, changes });
    this.seq += 1;
    changes.forEach((change) => setRecord(this.tables, change));
    const durable = new Promise<void>((resolve, reject) => this.pending.push({ line, resolve, reject }));
    this.lastCommit = durable;
    this.writer ??= this.writePending();
    return durable;
  }

  /** Resolves once every transaction committed so far is durable. */
  settled(): Promise<void> {
    return this.failure ? Promise.reject(this.failure) : this.lastCommit;
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
      const data = batch.map((write) => write.line).join('');
      try {
        await this.logFile.write(data);
        await this.logFile.datasync();
      } catch (error) {
        this.fail(toError(error), batch);
        break;
      }
      this.logBytes += Buffer.byteLength(data);
      batch.forEach((write) => write.resolve());
      if (this.logBytes > this.options.compactAfterBytes) await this.compact();
    }
    // In the same turn as the emptiness check: a commit from now on starts a new writer.
    this.writer = undefined;
  }

  /**
   * Writes the whole state as a new snapshot and empties the log. The snapshot may include commits
   * still waiting for their log write; they carry sequence numbers it covers, so replay skips them.
   */
  private async compact(): Promise<void> {
    const snapshot: Snapshot = { seq: this.seq, tables: {} };
    for (const [table, partitions] of this.tables) {
      snapshot.tables[table] = {};
      for (const [partition, records] of partitions) {
        snapshot.tables[table][partition] = Object.fromEntries(records);
      }
    }
    try {
      await replaceFileDurably(join(this.directory, SNAPSHOT_FILE), JSON.stringify(snapshot));
      await this.logFile.truncate(0);
      await this.logFile.sync();
      this.logBytes = 0;
    } catch (error) {
      // Nothing is lost: the old snapshot and the full log are still valid. Retry after more writes.
      this.options.log(`store: compaction failed, will retry: ${toError(error).message}`);
      this.options.compactAfterBytes *= 2;
    }
  }

  /**
   * After a failed log write the memory holds changes the disk may not: refuse all further work
   * rather than answer from state that a restart would not reproduce.
   */
  private fail(error: Error, batch: PendingWrite[]): void {
    this.failure = new Error(`the store can no longer write its log: ${error.message}`);
    this.options.log(`store: ${this.failure.message}`);
    for (const write of [...batch, ...this.pending.splice(0)]) write.reject(this.failure);
  }
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
