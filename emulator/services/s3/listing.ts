// ListObjects paging over sorted keys: prefix, delimiter roll-up into common prefixes, max-keys, and a
// position to resume after. Pure, so the subtle cases are unit-tested directly.

/**
 * S3 orders keys by their UTF-8 bytes, which is code point order. JavaScript compares UTF-16 code
 * units, which differs only between surrogates (astral characters) and U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  if (codeUnit >= 0xd800) return codeUnit + 0x2000;
  return codeUnit;
}

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  /** Resume strictly after this key or common prefix. */
  after?: string;
  maxKeys: number;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix of the page: where the next page resumes. */
  last?: string;
}

/** One page of `sortedKeys` (sorted with `compareKeys`). */
export function listPage(sortedKeys: readonly string[], request: ListRequest): ListPage {
  const { prefix, delimiter, after, maxKeys } = request;
  const page: ListPage = { keys: [], commonPrefixes: [], isTruncated: false };
  // Resuming after a common prefix skips every key under it.
  let lastCommonPrefix = after;
  let index = firstIndexAfter(sortedKeys, after !== undefined && compareKeys(after, prefix) >= 0 ? after : undefined, prefix);
  for (; index < sortedKeys.length; index++) {
    const key = sortedKeys[index];
    if (!key.startsWith(prefix)) break;
    const commonPrefix = delimiter ? commonPrefixOf(key, prefix, delimiter) : undefined;
    if (commonPrefix !== undefined && commonPrefix === lastCommonPrefix) continue;
    if (page.keys.length + page.commonPrefixes.length === maxKeys) {
      page.isTruncated = maxKeys > 0;
      break;
    }
    if (commonPrefix !== undefined) {
      page.commonPrefixes.push(commonPrefix);
      lastCommonPrefix = commonPrefix;
    } else {
      page.keys.push(key);
    }
    page.last = commonPrefix ?? key;
  }
  return page;
}

/** `photos/2024/` for key `photos/2024/a.jpg`, prefix `photos/` and delimiter `/`. */
function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const cut = key.indexOf(delimiter, prefix.length);
  return cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
}

/** Index of the first key that is greater than `after` and not less than `prefix`. */
function firstIndexAfter(sortedKeys: readonly string[], after: string | undefined, prefix: string): number {
  let low = 0;
  let high = sortedKeys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const key = sortedKeys[middle];
    const before = after !== undefined ? compareKeys(key, after) <= 0 : compareKeys(key, prefix) < 0;
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}
