// Waiting in tests and the harness, always with a bound and a name for what was awaited: a condition polled until it
// holds, and pages followed until the last. A regression then fails its test with "timed out waiting
// for …" or "more than N pages of …" instead of hanging the run. No test sleeps a fixed time instead.

export interface UntilOptions {
  /** How long the condition may take before the test fails (default 20 s). */
  timeoutMs?: number;
  /** How often it is checked (default 100 ms). */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than `undefined`, and returns that; fails with
 * `timed out waiting for <what>` once `timeoutMs` (20 s by default) has passed. An error the probe
 * throws fails at once.
 */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: UntilOptions | number = {}): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 100 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Every page of a listing, in order, following its tokens — at most `maxPages` of them: a listing
 * that never ends (a token that always comes back, the last item repeated) fails here, it does not
 * loop forever. `pages` is an SDK paginator or any async iterable of pages.
 */
export async function allPages<T>(what: string, pages: AsyncIterable<T> | Iterable<T>, maxPages: number): Promise<T[]> {
  const seen: T[] = [];
  for await (const page of pages) {
    seen.push(page);
    if (seen.length > maxPages) throw new Error(`more than ${maxPages} pages of ${what}: the listing does not end`);
  }
  return seen;
}

/** The synchronous form of `allPages`, for a page function: `next(token)` until it gives no token. */
export function followTokens<P>(what: string, next: (token: string | undefined) => { page: P; nextToken?: string }, maxPages: number): P[] {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    if (pages.length >= maxPages) throw new Error(`more than ${maxPages} pages of ${what}: the listing does not end`);
    const { page, nextToken } = next(token);
    pages.push(page);
    token = nextToken;
  } while (token !== undefined);
  return pages;
}
