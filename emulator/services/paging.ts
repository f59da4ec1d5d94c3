// Paging through a sorted listing, shared by the services: a page of at most `limit` items and an
// opaque token holding the sort key of the last item returned. The next page starts after that key,
// so pages stay consistent while items are added or removed between calls. A page is read from items
// already in order (`pageInOrder`, over an order the store keeps) or selected from any items
// (`sortedPage`).
import type { AwsError } from '../errors';
import { decodePageToken, encodePageToken } from '../pageTokens';
import { compareKeys, type SortKey } from '../store/orders';

export interface PageRequest {
  /** Names the listing and its order: a token only continues the listing it came from. */
  listing: string;
  descending?: boolean;
  limit: number;
  token?: string;
}

interface Entry<T> {
  item: T;
  key: SortKey;
}

export interface Page<T> {
  page: T[];
  nextToken?: string;
}

/**
 * The page of `items` that `request` asks for, without sorting them all: a heap keeps the best
 * `limit + 1` items seen so far (one more than the page, to know whether another page follows), its
 * worst at the top, so an item costs a comparison with it and, if better, O(log limit) moves.
 */
export function sortedPage<T>(items: Iterable<T>, keyOf: (item: T) => SortKey, request: PageRequest, invalidToken: () => AwsError): Page<T> {
  const direction = request.descending ? -1 : 1;
  const compare = (a: SortKey, b: SortKey) => direction * compareKeys(a, b);
  const after = request.token === undefined ? undefined : decodeKey(request, request.token);
  if (request.token !== undefined && after === undefined) throw invalidToken();

  const kept = new WorstFirstHeap<T>(request.limit + 1, compare);
  for (const item of items) {
    const key = keyOf(item);
    if (after === undefined || compare(key, after) > 0) kept.offer(item, key);
  }
  const selected = kept.sorted();
  const page = selected.slice(0, request.limit);
  const last = page.at(-1);
  return {
    page: page.map((entry) => entry.item),
    nextToken: selected.length > request.limit && last ? tokenAfter(request, last.key) : undefined,
  };
}

/**
 * The page that `request` asks for from items already in its order: `walk` yields them from just
 * after the token's position (the store's orders do), and only the page and one more are read.
 */
export function pageInOrder<T>(
  walk: (descending: boolean, after: SortKey | undefined) => Iterable<{ item: T; key: SortKey }>,
  request: PageRequest,
  invalidToken: () => AwsError,
): Page<T> {
  const after = request.token === undefined ? undefined : decodeKey(request, request.token);
  if (request.token !== undefined && after === undefined) throw invalidToken();
  const selected: { item: T; key: SortKey }[] = [];
  for (const entry of walk(Boolean(request.descending), after)) {
    selected.push(entry);
    if (selected.length > request.limit) break;
  }
  const page = selected.slice(0, request.limit);
  const last = page.at(-1);
  return {
    page: page.map((entry) => entry.item),
    nextToken: selected.length > request.limit && last ? tokenAfter(request, last.key) : undefined,
  };
}

/** The token of a page that ends with the item of sort key `key` (for pages cut short by other limits). */
export function tokenAfter(request: PageRequest, key: SortKey): string {
  return encodePageToken(tokenListing(request), [JSON.stringify(key)]);
}

function decodeKey(request: PageRequest, token: string): SortKey | undefined {
  const position = decodePageToken(tokenListing(request), token);
  if (position?.length !== 1) return undefined;
  try {
    const key: unknown = JSON.parse(position[0]);
    return Array.isArray(key) && key.every((part) => typeof part === 'string' || typeof part === 'number') ? key : undefined;
  } catch {
    return undefined;
  }
}

function tokenListing(request: PageRequest): string {
  return `${request.listing}:${request.descending ? 'descending' : 'ascending'}`;
}

/** A bounded binary heap that keeps the `capacity` best entries, the worst of them at index 0. */
class WorstFirstHeap<T> {
  private readonly entries: Entry<T>[] = [];

  constructor(
    private readonly capacity: number,
    private readonly compare: (a: SortKey, b: SortKey) => number,
  ) {}

  offer(item: T, key: SortKey): void {
    if (this.entries.length < this.capacity) {
      this.entries.push({ item, key });
      this.siftUp(this.entries.length - 1);
    } else if (this.compare(key, this.entries[0].key) < 0) {
      this.entries[0] = { item, key };
      this.siftDown(0);
    }
  }

  /** Best first. */
  sorted(): Entry<T>[] {
    return [...this.entries].sort((a, b) => this.compare(a.key, b.key));
  }

  /** Whether the entry at `a` belongs above the one at `b`: it is worse. */
  private above(a: number, b: number): boolean {
    return this.compare(this.entries[a].key, this.entries[b].key) > 0;
  }

  private swap(a: number, b: number): void {
    [this.entries[a], this.entries[b]] = [this.entries[b], this.entries[a]];
  }

  private siftUp(index: number): void {
    for (let child = index, parent = (child - 1) >> 1; child > 0 && this.above(child, parent); child = parent, parent = (child - 1) >> 1) {
      this.swap(child, parent);
    }
  }

  private siftDown(index: number): void {
    for (let parent = index; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let top = parent;
      if (left < this.entries.length && this.above(left, top)) top = left;
      if (right < this.entries.length && this.above(right, top)) top = right;
      if (top === parent) return;
      this.swap(parent, top);
      parent = top;
    }
  }
}
