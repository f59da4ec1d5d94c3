// Job time limits are allowed up to 28 days (MaxRuntimeInSeconds, MaxWaitTimeInSeconds), beyond what
// one Node timer can wait (2^31 - 1 ms, about 24.8 days: longer ones fire at once).
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Deadline {
  clear(): void;
}

/** Calls `action` after `ms`, however long that is. */
export function afterDelay(ms: number, action: () => void): Deadline {
  let timer: NodeJS.Timeout;
  const wait = (left: number) => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? wait(left - MAX_TIMER_MS) : action()), Math.min(Math.max(left, 0), MAX_TIMER_MS));
  };
  wait(ms);
  return { clear: () => clearTimeout(timer) };
}
