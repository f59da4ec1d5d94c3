// The write-ahead log's line format: `<crc32 of the JSON, 8 hex digits> <JSON>\n`, one committed
// transaction per line. A line that is cut short, fails its checksum or is not a transaction marks the
// end of the log: everything from there on was never acknowledged.
import { crc32 } from 'node:zlib';

/** One write to one record: `value` absent means the record is deleted. */
export interface Change {
  table: string;
  partition: string;
  key: string;
  value?: object;
}

export interface Transaction {
  seq: number;
  changes: Change[];
}

export function encodeLogLine(transaction: Transaction): string {
  const json = JSON.stringify(transaction);
  return `${checksum(json)} ${json}\n`;
}

/** The transactions of a log file, and how many leading bytes hold them intact. */
export function decodeLog(data: Buffer): { transactions: Transaction[]; intactBytes: number } {
  const transactions: Transaction[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end === -1) break;
    const transaction = decodeLine(data.toString('utf8', offset, end));
    if (!transaction) break;
    transactions.push(transaction);
    offset = end + 1;
  }
  return { transactions, intactBytes: offset };
}

function decodeLine(line: string): Transaction | undefined {
  const json = line.slice(9);
  if (line[8] !== ' ' || line.slice(0, 8) !== checksum(json)) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return isTransaction(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

function isTransaction(value: unknown): value is Transaction {
  if (typeof value !== 'object' || value === null) return false;
  const { seq, changes } = value as Partial<Transaction>;
  return typeof seq === 'number' && Array.isArray(changes) && changes.every(isChange);
}

function isChange(value: unknown): value is Change {
  if (typeof value !== 'object' || value === null) return false;
  const { table, partition, key, value: record } = value as Partial<Change>;
  return (
    typeof table === 'string' &&
    typeof partition === 'string' &&
    typeof key === 'string' &&
    (record === undefined || (typeof record === 'object' && record !== null))
  );
}
