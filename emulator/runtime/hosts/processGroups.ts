// Host processes run in their own process groups, so a `kill -9` of the emulator leaves them
// running. Their group ids are kept on disk, one file per owner (a job, an endpoint), and the next
// start ends whatever a crash left behind. A record is written synchronously, as soon as the host is
// spawned: before the host's first output is even read, so nothing a host is seen doing (its log, its
// pid) comes before the record that lets a restart end it; and through a renamed temp file, so a
// crash never leaves a half-written record.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';

export class ProcessGroupRecords {
  private readonly groups = new Map<string, Set<number>>();

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  remember(owner: string, pid: number): Promise<void> {
    const pids = this.groups.get(owner) ?? new Set();
    pids.add(pid);
    this.groups.set(owner, pids);
    return this.write(owner);
  }

  /** One process has ended; without `pid`, all of the owner's have. */
  forget(owner: string, pid?: number): Promise<void> {
    const pids = this.groups.get(owner);
    if (pid !== undefined) pids?.delete(pid);
    if (pid === undefined || pids?.size === 0) this.groups.delete(owner);
    return this.write(owner);
  }

  /** SIGKILLs every group a previous process recorded and clears the records. */
  async killLeftovers(): Promise<void> {
    for (const file of await readdir(this.dir).catch(() => [])) {
      // A temp file is a record a crash cut short: its rename never happened, so it is not one.
      const pids = file.endsWith('.json') ? parsePids(await readFile(path.join(this.dir, file), 'utf8').catch(() => '[]')) : [];
      for (const pid of pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await rm(path.join(this.dir, file), { force: true });
    }
  }

  private write(owner: string): Promise<void> {
    const file = path.join(this.dir, `${Buffer.from(owner).toString('base64url')}.json`);
    const pids = this.groups.get(owner);
    try {
      if (!pids) {
        rmSync(file, { force: true });
      } else {
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(`${file}.tmp`, JSON.stringify([...pids]));
        renameSync(`${file}.tmp`, file);
      }
    } catch (error) {
      this.log(`cannot record host processes: ${(error as Error).message}`);
    }
    return Promise.resolve();
  }
}

function parsePids(text: string): number[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((pid): pid is number => Number.isInteger(pid) && pid > 1) : [];
  } catch {
    return [];
  }
}
