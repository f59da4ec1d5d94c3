// One model really trained by the built-in GPT per test run, shared by every suite that serves one:
// an emulator trains a tiny GPT on the demo corpus (a few seconds), is stopped, and its data folder
// — the completed training job, its model.tar.gz and metrics — is kept under the temp folder, keyed
// by the emulator bundle it was made with. Each caller gets its own copy of that folder to start an
// emulator from (the emulator's state survives restarts), so the suites never share live state.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tinyTalesJsonl } from './demo';
import { startEmulatorProcess } from './emulatorProcess';
import { EMULATOR_BUNDLE } from './paths';
import { EXECUTION_ROLE_ARN, gptTrainingJobRequest } from './requests';

export interface TrainedFixture {
  /** A fresh copy of the trained emulator's data folder: start an emulator with `--data-dir` on it. */
  dataDir: string;
  /** The completed training job (built-in GPT) whose model the suites register and serve. */
  trainingJob: string;
  bucket: string;
  /** `s3://…/` prefix of the training data (JSON Lines), also good batch transform input. */
  dataPrefix: string;
}

const BUCKET = 'trained-fixture';
const JOB = 'tiny-gpt-fixture';
const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

/** A completed built-in GPT job: one host, one thread, 40 steps of a 1-layer model (seconds). */
const TINY_HYPERPARAMETERS = {
  vocab_size: '300',
  layers: '1',
  heads: '2',
  width: '32',
  context: '32',
  steps: '40',
  batch_size: '4',
  warmup_steps: '5',
  learning_rate: '0.01',
  validation_interval: '20',
  eval_interval: '0',
  checkpoint_interval: '0',
  log_interval: '10',
  threads: '1',
};

function cacheDir(): string {
  const bundle = statSync(EMULATOR_BUNDLE);
  const key = createHash('sha256').update(`${bundle.size}:${bundle.mtimeMs}:${JSON.stringify(TINY_HYPERPARAMETERS)}`).digest('hex').slice(0, 16);
  return path.join(tmpdir(), `sagemaker-trained-fixture-${key}`);
}

export async function trainedFixture(): Promise<TrainedFixture> {
  const cache = cacheDir();
  if (!existsSync(path.join(cache, 'fixture.json'))) await train(cache);
  const meta = JSON.parse(readFileSync(path.join(cache, 'fixture.json'), 'utf8')) as Omit<TrainedFixture, 'dataDir'>;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sagemaker-trained-copy-'));
  cpSync(path.join(cache, 'data'), dataDir, { recursive: true });
  return { ...meta, dataDir };
}

async function train(cache: string): Promise<void> {
  const building = mkdtempSync(path.join(tmpdir(), 'sagemaker-trained-building-'));
  const emulator = await startEmulatorProcess({ dataDir: path.join(building, 'data'), maxConcurrentJobs: 1 });
  const s3 = new S3Client({ ...CLIENT, endpoint: emulator.url, forcePathStyle: true });
  const sageMaker = new SageMakerClient({ ...CLIENT, endpoint: emulator.url });
  const dataPrefix = `s3://${BUCKET}/datasets/tiny-tales/`;
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'datasets/tiny-tales/train.jsonl', Body: tinyTalesJsonl(300, 1) }));
    await sageMaker.send(
      new CreateTrainingJobCommand(
        gptTrainingJobRequest(JOB, {
          metrics: true,
          role: EXECUTION_ROLE_ARN,
          hyperParameters: TINY_HYPERPARAMETERS,
          train: dataPrefix,
          output: `s3://${BUCKET}/models/`,
          instanceType: 'ml.m5.xlarge',
          maxRuntimeSeconds: 600,
        }),
      ),
    );
    const deadline = Date.now() + 180_000;
    for (;;) {
      const job = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }));
      if (job.TrainingJobStatus === 'Completed') break;
      if (job.TrainingJobStatus !== 'InProgress' || Date.now() > deadline) {
        throw new Error(`the fixture's training job is ${job.TrainingJobStatus} (${job.FailureReason ?? 'still running after 3 minutes'}):\n${emulator.output().slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // the job's status, re-read until it ends (bounded above)
    }
  } finally {
    s3.destroy();
    sageMaker.destroy();
    await emulator.stop();
  }
  writeFileSync(path.join(building, 'fixture.json'), JSON.stringify({ trainingJob: JOB, bucket: BUCKET, dataPrefix }));
  // Whole or not at all: a half-made fixture is never taken for one.
  rmSync(cache, { recursive: true, force: true });
  renameSync(building, cache);
}
