// Unit tests of sortedPage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validationError } from '../../emulator/errors';
import { sortedPage, type SortKey } from '../../emulator/services/paging';
import { followTokens } from '../waiting';

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
