// Keeps CheckpointConfig.S3Uri in step with a host's checkpoint folder while the job runs, as
// SageMaker does: a changed file is uploaded once it has stopped changing for one scan interval (so
// a file still being written is not sent half-done) or, if it keeps changing (a checkpoint rewritten
// every step), after a few intervals anyway; everything left is sent at the end. What the folder held
// when the job started came from S3 (a resumed job's checkpoints, every host's): it is sent only once
// changed, so a host's unchanged copy of another host's checkpoint never lands over that host's newer one.
import type { S3Client } from '@aws-sdk/client-s3';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { joinKey, uploadFile, type S3Location } from '../hosts/s3Transfer';

interface FileState {
  signature: string;
  uploaded: boolean;
  /** Scans since the last upload that found it changed. */
  changedScans: number;
}

/** A file changing on every scan is uploaded after this many scans without waiting to settle. */
const MAX_SCANS_WAITING = 3;

export class CheckpointSync {
  private readonly files = new Map<string, FileState>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly dir: string,
    private readonly location: S3Location,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Takes what the folder holds now as already in S3 (it was just downloaded from there): sent only once changed. */
  async recordDownloaded(): Promise<void> {
    for (const file of await walk(this.dir)) {
      const info = await stat(file).catch(() => undefined);
      if (info) this.files.set(path.relative(this.dir, file).split(path.sep).join('/'), { signature: `${info.size}:${info.mtimeMs}`, uploaded: true, changedScans: 0 });
    }
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.scan(false)
        .catch(this.onError)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** Stops scanning and uploads whatever has not been uploaded yet. */
  async finish(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.scan(true);
  }

  private async scan(final: boolean): Promise<void> {
    for (const file of await walk(this.dir)) {
      const relative = path.relative(this.dir, file).split(path.sep).join('/');
      let signature: string;
      try {
        const info = await stat(file);
        signature = `${info.size}:${info.mtimeMs}`;
      } catch {
        continue; // removed since the listing (e.g. a temp file renamed into place)
      }
      const known = this.files.get(relative);
      if (!known || known.signature !== signature) {
        const changedScans = (known?.uploaded === false ? known.changedScans : 0) + 1;
        this.files.set(relative, { signature, uploaded: false, changedScans });
        // Changed since the last scan: wait until it settles, unless it never does.
        if (!final && changedScans < MAX_SCANS_WAITING) continue;
      } else if (known.uploaded) {
        continue;
      }
      try {
        await uploadFile(this.s3, file, { bucket: this.location.bucket, key: joinKey(this.location.key, relative) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.files.delete(relative); // removed since it was listed: nothing to send
        continue;
      }
      this.files.set(relative, { signature, uploaded: true, changedScans: 0 });
    }
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}
