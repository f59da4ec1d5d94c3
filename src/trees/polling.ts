// When a view re-reads resources that are still changing. Pure, unit-tested.

/** The delay before poll number `polls` (0 for the first), or undefined to stop polling. */
export type PollSchedule = (polls: number) => number | undefined;

/** The same delay for as long as something is in progress. */
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
