// Training checkpoints: one safetensors file per checkpoint holding the weights (under their own
// names, so the file loads as a model), the optimizer moments (prefixed) and, in __metadata__, the
// training state as JSON plus a SHA-256 of the data section. Files are written atomically (temp file,
// fsync, rename, fsync of the directory) and verified when read, so neither a kill during a write nor a
// partial copy (e.g. a checkpoint directory synced from S3) is ever taken for a good checkpoint.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors';

export interface Checkpoint<State> {
  step: number;
  tensors: Map<string, NamedTensor>;
  /** The caller's training state, as saved; the caller validates it. */
  state: State;
}

const FILE_PATTERN = /^checkpoint-(\d+)\.safetensors$/;
const TEMPORARY_SUFFIX = '.partial';

function checkpointFileName(step: number): string {
  return `checkpoint-${String(step).padStart(8, '0')}.safetensors`;
}

/** Writes the chunks to `file` so that the file either keeps its old content or has all the new one. */
export async function writeFileAtomically(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temporary = `${file}${TEMPORARY_SUFFIX}`;
  const handle = await fs.open(temporary, 'w');
  try {
    for (const chunk of chunks) {
      await handle.write(chunk);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
  await syncDirectory(path.dirname(file));
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Saves a checkpoint for `step` and then deletes all but the newest `keep` complete checkpoints (and
 * any temporary file a killed writer left). Returns the checkpoint's path.
 */
export async function saveCheckpoint<State>(directory: string, step: number, tensors: readonly NamedTensor[], state: State, keep: number): Promise<string> {
  await fs.mkdir(directory, { recursive: true });
  const metadata = { format: 'pt', step: String(step), training_state: JSON.stringify(state), sha256: digestOf(tensors) };
  const file = path.join(directory, checkpointFileName(step));
  await writeFileAtomically(file, encodeSafetensors(tensors, metadata));

  const entries = await fs.readdir(directory);
  const complete = checkpointFiles(entries);
  const obsolete = [...complete.slice(keep).map(({ name }) => name), ...entries.filter((name) => name.endsWith(TEMPORARY_SUFFIX))];
  await Promise.all(obsolete.map((name) => fs.rm(path.join(directory, name), { force: true })));
  return file;
}

/** The newest checkpoint in `directory` that reads back whole and matches its checksum, if any. */
export async function loadLatestCheckpoint<State>(directory: string, onSkipped?: (file: string, reason: string) => void): Promise<Checkpoint<State> | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  for (const { name, step } of checkpointFiles(entries)) {
    const file = path.join(directory, name);
    try {
      return readCheckpoint<State>(await fs.readFile(file), step);
    } catch (error) {
      onSkipped?.(file, (error as Error).message);
    }
  }
  return undefined;
}

function readCheckpoint<State>(bytes: Uint8Array, step: number): Checkpoint<State> {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (digestOf(tensors.values()) !== metadata.sha256) {
    throw new Error('checksum mismatch');
  }
  if (metadata.step !== String(step) || metadata.training_state === undefined) {
    throw new Error('not a training checkpoint of this step');
  }
  return { step, tensors, state: JSON.parse(metadata.training_state) as State };
}

/** SHA-256 of the tensors' data in file order, i.e. of the whole data section. */
function digestOf(tensors: Iterable<NamedTensor>): string {
  const digest = createHash('sha256');
  for (const { data } of tensors) {
    digest.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return digest.digest('hex');
}

/** Checkpoint files among directory entries, newest first. */
function checkpointFiles(entries: readonly string[]): Array<{ name: string; step: number }> {
  return entries
    .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, step: Number(match[1]) }))
    .sort((a, b) => b.step - a.step);
}
