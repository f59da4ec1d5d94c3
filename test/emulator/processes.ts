// Checking on the processes runtimes start (waiting on them: test/waiting.ts).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Running processes whose working directory is inside `dir` (a job's or endpoint's containers). */
export function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && running(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone, or not ours to see
    }
  }
  return pids;
}
