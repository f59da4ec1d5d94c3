// A training job's checkpoints, read from its CheckpointConfig.S3Uri and grouped into one entry per
// checkpoint by the layouts training code writes: the built-in GPT's `checkpoint-00000300.safetensors`,
// Hugging Face Trainer's `checkpoint-<step>/` folders, PyTorch Lightning's `epoch=E-step=S.ckpt`,
// any file or folder with a step number (Megatron's `iter_0000200/`, DeepSpeed's `global_step200/`,
// `model_step_500.pt`), else one entry per file or folder, by time. Pure, unit-tested.
import type { DatasetObject } from './datasets';

export type CheckpointLayout = 'builtinGpt' | 'huggingFace' | 'lightning' | 'numbered' | 'byTime';

export const LAYOUT_NAMES: Record<CheckpointLayout, string> = {
  builtinGpt: 'built-in GPT',
  huggingFace: 'Hugging Face Trainer',
  lightning: 'PyTorch Lightning',
  numbered: 'numbered checkpoints',
  byTime: 'by time',
};

export interface Checkpoint {
  /** Stable within the job: the step, or the entry's name. */
  id: string;
  label: string;
  step?: number;
  epoch?: number;
  layout: CheckpointLayout;
  /** The objects that make it up, and the part of their keys below the checkpoint location. */
  objects: DatasetObject[];
  size: number;
  lastModified?: Date;
  /** The newest checkpoint: the highest step, or the newest entry when none has a step. */
  latest: boolean;
}

export interface CheckpointListing {
  /** The layout most of the checkpoints are in. */
  layout: CheckpointLayout;
  /** Newest first. */
  checkpoints: Checkpoint[];
}

interface Entry {
  name: string;
  isFolder: boolean;
  layout: CheckpointLayout;
  step?: number;
  epoch?: number;
}

/** How a file or folder directly under the checkpoint location names its checkpoint. */
export function recogniseEntry(name: string, isFolder: boolean): Entry {
  let match: RegExpExecArray | null;
  if (!isFolder && (match = /^checkpoint-(\d+)\.safetensors$/.exec(name))) return { name, isFolder, layout: 'builtinGpt', step: Number(match[1]) };
  if (isFolder && (match = /^checkpoint-(\d+)$/.exec(name))) return { name, isFolder, layout: 'huggingFace', step: Number(match[1]) };
  if (!isFolder && (match = /^(?:.*[-_])?epoch=(\d+)-step=(\d+)(?:[-_.=].*)?\.ckpt$/.exec(name))) {
    return { name, isFolder, layout: 'lightning', epoch: Number(match[1]), step: Number(match[2]) };
  }
  const step = stepNumber(name.replace(/\.[A-Za-z][A-Za-z0-9]*$/, ''));
  return step === undefined ? { name, isFolder, layout: 'byTime' } : { name, isFolder, layout: 'numbered', step };
}

/** The step a name carries: after `step`, `iter`, `global_step`, `checkpoint`/`ckpt`, else its last number. */
function stepNumber(stem: string): number | undefined {
  const patterns = [/global[_-]?step[=_-]?(\d+)/i, /step[=_-]?(\d+)/i, /iter(?:ation)?[=_-]?(\d+)/i, /(?:checkpoint|ckpt)[=_-]?(\d+)/i, /(\d+)(?!.*\d)/];
  for (const pattern of patterns) {
    const match = pattern.exec(stem);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Groups the objects under `prefix` (the checkpoint location's key prefix, ending with `/`) into checkpoints. */
export function groupCheckpoints(objects: readonly DatasetObject[], prefix: string): CheckpointListing {
  const entries = new Map<string, { entry: Entry; objects: DatasetObject[] }>();
  for (const object of objects) {
    const relative = object.key.slice(prefix.length);
    if (!object.key.startsWith(prefix) || relative === '' || relative.endsWith('/')) continue; // folder markers
    const slash = relative.indexOf('/');
    const name = slash === -1 ? relative : relative.slice(0, slash);
    const existing = entries.get(name) ?? { entry: recogniseEntry(name, slash !== -1), objects: [] };
    existing.objects.push(object);
    entries.set(name, existing);
  }

  // Entries with the same step are one checkpoint (a model file and its optimizer state; one file per rank).
  const groups = new Map<string, Checkpoint>();
  for (const { entry, objects: members } of entries.values()) {
    const id = entry.step === undefined ? `name:${entry.name}` : `step:${entry.step}`;
    const group = groups.get(id) ?? {
      id,
      label: entry.step === undefined ? entry.name + (entry.isFolder ? '/' : '') : `step ${entry.step}`,
      step: entry.step,
      epoch: entry.epoch,
      layout: entry.layout,
      objects: [],
      size: 0,
      lastModified: undefined,
      latest: false,
    };
    for (const object of members) {
      group.objects.push(object);
      group.size += object.size;
      if (object.lastModified && (!group.lastModified || object.lastModified > group.lastModified)) group.lastModified = object.lastModified;
    }
    groups.set(id, group);
  }

  const checkpoints = [...groups.values()].sort(newestFirst);
  const stepped = checkpoints.filter((checkpoint) => checkpoint.step !== undefined);
  const latest = stepped[0] ?? checkpoints[0];
  if (latest) latest.latest = true;
  return { layout: mostCommonLayout(stepped.length > 0 ? stepped : checkpoints), checkpoints };
}

/** Checkpoints with steps by step (then time), descending; those without after them, newest first. */
function newestFirst(a: Checkpoint, b: Checkpoint): number {
  if (a.step !== undefined && b.step !== undefined && a.step !== b.step) return b.step - a.step;
  if ((a.step === undefined) !== (b.step === undefined)) return a.step === undefined ? 1 : -1;
  return (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) || a.label.localeCompare(b.label);
}

function mostCommonLayout(checkpoints: readonly Checkpoint[]): CheckpointLayout {
  const counts = new Map<CheckpointLayout, number>();
  for (const checkpoint of checkpoints) counts.set(checkpoint.layout, (counts.get(checkpoint.layout) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'byTime';
}

/**
 * A fresh checkpoint location for a job resumed as `newJobName`: beside the old one
 * (`s3://b/checkpoints/gpt-7/` → `s3://b/checkpoints/gpt-7-resume-1/`).
 */
export function freshCheckpointUri(oldUri: string, newJobName: string): string {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(oldUri);
  if (!match) throw new Error(`${oldUri} is not an s3:// URI`);
  const [, bucket, key] = match;
  const trimmed = key.replace(/\/+$/, '');
  const parent = trimmed.includes('/') ? trimmed.slice(0, trimmed.lastIndexOf('/') + 1) : '';
  return `s3://${bucket}/${parent}${newJobName}/`;
}
