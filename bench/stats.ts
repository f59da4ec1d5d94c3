// Small helpers shared by the benchmarks: statistics, and how a benchmark's script ends.

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs a benchmark's `main`; a failure is printed with its stack and the process exits with 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  });
}
