// Checking on the processes runtimes start (waiting on them: harness/waiting.ts).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Running processes of a job's or endpoint's containers under `dir`: those whose working directory
 * is inside it, those whose command line names it (bubblewrap, which binds a folder of `dir` as a
 * host's /opt/ml), and their descendants (the container itself, whose cwd is /opt/ml/… in its namespace).
 */
export function processesUnder(dir: string): number[] {
  const parents = new Map<number, number>();
  const found = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const inside = (text: string) => text === dir || text.startsWith(`${dir}/`);
      if (inside(cwd) || commandLine.some(inside)) found.add(pid);
    } catch {
      // gone, or not ours to see
    }
  }
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (!found.has(pid) && found.has(parent)) {
        found.add(pid);
        grown = true;
      }
    }
  }
  return [...found].filter((pid) => pid !== process.pid && running(pid));
}
