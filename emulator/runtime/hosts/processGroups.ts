// Host processes run in their own process groups, so a `kill -9` of the emulator leaves them
// running. Their group ids are kept on disk, one file per owner (a job, an endpoint), and the next
// start ends whatever a crash left behind.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export class ProcessGroupRecords {
  private readonly groups = new Map<string, Set<number>>();
  /** One write at a time, so that hosts starting together are all recorded. */
  private writes: Promise<void> = Promise.resolve();

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
      const pids = JSON.parse(await readFile(path.join(this.dir, file), 'utf8').catch(() => '[]')) as number[];
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
    this.writes = this.writes
      .then(async () => {
        if (!pids) return rm(file, { force: true });
        await mkdir(this.dir, { recursive: true });
        await writeFile(file, JSON.stringify([...pids]));
      })
      .catch((error: Error) => this.log(`cannot record host processes: ${error.message}`));
    return this.writes;
  }
}
