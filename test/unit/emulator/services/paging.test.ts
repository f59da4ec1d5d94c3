// Unit tests of sortedPage, and of pageInOrder (a page read from items already in order) against it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validationError } from '../../../../emulator/errors';
import { pageInOrder, sortedPage } from '../../../../emulator/services/paging';
import { compareKeys, type SortKey } from '../../../../emulator/store/orders';
import { followTokens } from '../../../../harness/waiting';

interface Item {
  name: string;
  time: number;
}

const items: Item[] = Array.from({ length: 257 }, (_, index) => ({ name: `item-${String((index * 37) % 257).padStart(3, '0')}`, time: (index * 7919) % 50 }));
const keyOf = (item: Item): SortKey => [item.time, item.name];
const invalid = () => validationError('Invalid pagination token');

/** Every page in turn: at most as many as the items need, so a listing that never ends fails rather than hangs. */
function allPages(limit: number, descending: boolean): Item[] {
  const pages = followTokens(
    `the items, ${limit} per page`,
    (token) => sortedPage(items, keyOf, { listing: 'test', limit, descending, token }, invalid),
    Math.ceil(items.length / limit),
  );
  for (const page of pages) assert.ok(page.length <= limit);
  return pages.flat();
}

describe('sortedPage', () => {
  it('pages through every item once, in order, for any page size and direction', () => {
    const ascending = [...items].sort((a, b) => a.time - b.time || (a.name < b.name ? -1 : 1));
    for (const limit of [1, 2, 10, 100, 256, 257, 1000]) {
      assert.deepEqual(allPages(limit, false), ascending, `limit ${limit}`);
      assert.deepEqual(allPages(limit, true), [...ascending].reverse(), `limit ${limit}, descending`);
    }
  });

  it('keeps the best items whatever order they arrive in (the heap at every depth)', () => {
    // Shuffled arrivals make the heap move items up and down several levels; the page must still be
    // the first `limit` of a plain sort, with a token exactly when more follow.
    let seed = 18;
    /** A fixed sequence of orders (a linear congruential generator), the same every run. */
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let count = 1; count <= 40; count++) {
      for (let trial = 0; trial < 10; trial++) {
        const keys = Array.from({ length: count }, (_, index) => index);
        for (let index = count - 1; index > 0; index--) {
          const other = Math.floor(random() * (index + 1));
          [keys[index], keys[other]] = [keys[other], keys[index]];
        }
        for (const limit of [1, 2, 3, 4, 7, 8, 15, 16]) {
          const { page, nextToken } = sortedPage(keys, (key) => [key], { listing: 'test', limit }, invalid);
          const arrival = `${count} keys arriving as ${keys.join(',')}, limit ${limit}`;
          assert.deepEqual(page, Array.from({ length: Math.min(limit, count) }, (_, index) => index), arrival);
          assert.equal(nextToken !== undefined, count > limit, arrival);
        }
      }
    }
  });

  it('ends without a token when the page holds the rest', () => {
    assert.equal(sortedPage(items, keyOf, { listing: 'test', limit: 257 }, invalid).nextToken, undefined);
    assert.deepEqual(sortedPage([], keyOf, { listing: 'test', limit: 5 }, invalid), { page: [], nextToken: undefined });
  });

  it('refuses a forged token, and one of another listing or order', () => {
    const { nextToken } = sortedPage(items, keyOf, { listing: 'test', limit: 5 }, invalid);
    assert.throws(() => sortedPage(items, keyOf, { listing: 'test', limit: 5, token: 'forged' }, invalid), /Invalid pagination token/);
    assert.throws(() => sortedPage(items, keyOf, { listing: 'other', limit: 5, token: nextToken }, invalid), /Invalid pagination token/);
    assert.throws(() => sortedPage(items, keyOf, { listing: 'test', limit: 5, descending: true, token: nextToken }, invalid), /Invalid pagination token/);
  });

  it("refuses a token of this listing whose position is not one sort key (a client's forgery, or another version's token)", () => {
    const token = (parts: unknown[]) => Buffer.from(JSON.stringify(['test:ascending', ...parts])).toString('base64url');
    // The well-formed token is accepted: what follows checks each part of the shape alone.
    assert.equal(sortedPage(items, keyOf, { listing: 'test', limit: 5, token: token([JSON.stringify([0, 'item-000'])]) }, invalid).page.length, 5);
    for (const [what, parts] of [
      ['two positions', [JSON.stringify([0, 'item-000']), 'extra']],
      ['no position', []],
      ['a position that is not a list', [JSON.stringify({ time: 0 })]],
      ['a key part that is neither text nor a number', [JSON.stringify([null, 'item-000'])]],
      ['a position that is not text', [5]],
      ['a position that is not JSON', ['[0, item-000']],
    ] as const) {
      assert.throws(() => sortedPage(items, keyOf, { listing: 'test', limit: 5, token: token([...parts]) }, invalid), /Invalid pagination token/, what);
    }
  });
});

describe('pageInOrder', () => {
  const ascending = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  let visited = 0;
  /** What the store's orders give: the items in order from just after a position, counting what is read. */
  function* walk(descending: boolean, after: SortKey | undefined): Iterable<{ item: Item; key: SortKey }> {
    for (const item of descending ? [...ascending].reverse() : ascending) {
      const beyond = after === undefined || (descending ? compareKeys(keyOf(item), after) < 0 : compareKeys(keyOf(item), after) > 0);
      if (!beyond) continue;
      visited++;
      yield { item, key: keyOf(item) };
    }
  }

  it('gives the pages and tokens sortedPage gives, for any page size and direction', () => {
    for (const limit of [1, 2, 10, 256, 257, 1000]) {
      for (const descending of [false, true]) {
        let token: string | undefined;
        for (let pages = 0; pages <= Math.ceil(items.length / limit); pages++) {
          const request = { listing: 'test', limit, descending, token };
          const inOrder = pageInOrder(walk, request, invalid);
          assert.deepEqual(inOrder, sortedPage(items, keyOf, request, invalid), `limit ${limit}, ${descending ? 'descending' : 'ascending'}, page ${pages + 1}`);
          token = inOrder.nextToken;
          if (token === undefined) break;
        }
        assert.equal(token, undefined, `limit ${limit}: the listing ends`);
      }
    }
  });

  it('reads only the page and one more', () => {
    visited = 0;
    const { page, nextToken } = pageInOrder(walk, { listing: 'test', limit: 10 }, invalid);
    assert.equal(page.length, 10);
    assert.equal(visited, 11);
    visited = 0;
    pageInOrder(walk, { listing: 'test', limit: 10, token: nextToken }, invalid);
    assert.equal(visited, 11);
  });

  it('refuses a forged token, and one of another listing or order', () => {
    const { nextToken } = pageInOrder(walk, { listing: 'test', limit: 5 }, invalid);
    assert.throws(() => pageInOrder(walk, { listing: 'test', limit: 5, token: 'forged' }, invalid), /Invalid pagination token/);
    assert.throws(() => pageInOrder(walk, { listing: 'other', limit: 5, token: nextToken }, invalid), /Invalid pagination token/);
    assert.throws(() => pageInOrder(walk, { listing: 'test', limit: 5, descending: true, token: nextToken }, invalid), /Invalid pagination token/);
  });
});
