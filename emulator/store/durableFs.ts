// File-system steps whose order makes writes crash-safe: data is fsync'ed before a rename publishes
// it, and the directory is fsync'ed so the rename itself survives a power loss.
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function fsyncDirectory(path: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename instead.
  if (process.platform === 'win32') return;
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Replaces `path` with `data` atomically: readers see the old or the new content, never a mix. */
export async function replaceFileDurably(path: string, data: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await writeFile(file, data);
    await file.sync();
  } catch (error) {
    await file.close();
    // A copy cut short (the disk filled up) must not keep holding the space.
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  await fsyncDirectory(dirname(path));
}
