// Resuming from a chosen checkpoint, not only the latest: the checkpoint's files are copied
// server-side to a fresh checkpoint location beside the old one, and a new job with the old job's
// configuration starts with that location, so SageMaker gives it exactly that checkpoint in
// /opt/ml/checkpoints and the script continues from its step. The old location is left as it was.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadSdk } from '../aws/clients';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Checkpoint } from './checkpoints';
import { freshCheckpointUri } from './checkpoints';
import { parseS3Uri } from './datasets';
import { resumeInput } from './resumeTrainingJob';
import { copyObjects } from './transfers/s3Objects';
import { createTrainingJob, type TrainingJobDescription } from './trainingJobs';

export interface ResumePlan {
  newJobName: string;
  /** Where the copy goes: `s3://bucket/…/<newJobName>/`. */
  checkpointUri: string;
  /**
   * The new job's hyperparameters: the old job's unless changed — going back to an older checkpoint
   * is often to change one (a lower learning rate after the loss diverged).
   */
  hyperParameters?: Record<string, string>;
}

export function resumePlan(description: TrainingJobDescription, newJobName: string, hyperParameters = description.HyperParameters): ResumePlan {
  const old = description.CheckpointConfig?.S3Uri;
  if (!old) throw new Error(`Training job ${description.TrainingJobName} has no checkpoint location (CheckpointConfig.S3Uri) to resume from.`);
  return { newJobName, checkpointUri: freshCheckpointUri(old, newJobName), hyperParameters };
}

/**
 * Copies `checkpoint` (its files keep their paths below the old location) to the plan's location —
 * refused if anything is there already — and starts the new job from it.
 */
export async function resumeFromCheckpoint(
  clients: { s3: S3Client; sageMaker: SageMakerClient },
  description: TrainingJobDescription,
  checkpoint: Checkpoint,
  plan: ResumePlan,
  onCopied?: (bytes: number) => void,
): Promise<void> {
  const { ListObjectsV2Command } = await loadSdk();
  const from = parseS3Uri(description.CheckpointConfig?.S3Uri ?? '');
  const to = parseS3Uri(plan.checkpointUri);
  if (!from || !to) throw new Error(`${description.CheckpointConfig?.S3Uri} is not an s3:// URI`);
  const fromPrefix = from.key === '' || from.key.endsWith('/') ? from.key : `${from.key}/`;
  const occupied = await clients.s3.send(new ListObjectsV2Command({ Bucket: to.bucket, Prefix: to.key, MaxKeys: 1 }));
  if (occupied.KeyCount) {
    throw new Error(`${plan.checkpointUri} already holds objects: a resumed job must start from the chosen checkpoint alone. Name the new job differently.`);
  }
  await copyObjects(clients.s3, checkpoint.objects, fromPrefix, to.bucket, to.key, { onCopied });
  const input = resumeInput(description, plan.newJobName);
  await createTrainingJob(clients.sageMaker, {
    ...input,
    HyperParameters: plan.hyperParameters,
    CheckpointConfig: { ...description.CheckpointConfig, S3Uri: plan.checkpointUri },
  });
}
