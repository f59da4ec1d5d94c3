// The size limits of event batches, the same for PutLogEvents requests and for GetLogEvents and
// FilterLogEvents responses: 1 MiB, counting each event's UTF-8 message plus 26 bytes.
import type { LogEvent } from './logEvents';

export const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

export function eventSize(event: LogEvent): number {
  return Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
}

/** The first of `events` that fit in a response of at most `limit` events and MAX_BATCH_BYTES. */
export function takeWithinBudget<T extends LogEvent>(events: Iterable<T>, limit: number): T[] {
  const taken: T[] = [];
  let bytes = 0;
  for (const event of events) {
    if (taken.length >= limit) break;
    bytes += eventSize(event);
    if (bytes > MAX_BATCH_BYTES && taken.length > 0) break;
    taken.push(event);
  }
  return taken;
}
