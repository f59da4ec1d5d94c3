// How often a watcher of the poller wants its resource re-read. Pure, unit-tested.

/** The delay before poll number `polls` (0 for the first), or undefined to stop polling. */
export type PollSchedule = (polls: number) => number | undefined;

/** The same delay for as long as the watch lasts. */
export function everyMs(delayMs: number): PollSchedule {
  return () => delayMs;
}

/**
 * Quick at first, when a change is likeliest (a local endpoint is InService within seconds), then
 * slower, up to `maxMs`; after `maxPolls` it stops, until a refresh or the view's next showing.
 */
export function backoff(options: { firstMs: number; factor: number; maxMs: number; maxPolls: number }): PollSchedule {
  return (polls) => (polls >= options.maxPolls ? undefined : Math.min(options.firstMs * options.factor ** polls, options.maxMs));
}

/** The poller's tick: the finest interval, and the bound on noticing a change or a dead connection. */
export const POLL_INTERVAL_MS = 2000;

/** A visible view with nothing in progress still looks for new resources (a job launched from the CLI). */
export const IDLE_VIEW = everyMs(10_000);
