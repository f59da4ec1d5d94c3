// The demo that `npm start` and the UI test show: a dataset in S3, a training job that reads it and,
// once it has trained, its model deployed as an endpoint — created through the same SDK calls a
// user's code would make. Idempotent.
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  waitUntilTrainingJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import { EXECUTION_ROLE_ARN, gptTrainingJobRequest } from './requests';

export const DEMO = {
  bucket: 'llm-workbench-demo',
  trainPrefix: 'datasets/tiny-tales/',
  trainingJob: 'tiny-gpt-tiny-tales-001',
  model: 'tiny-gpt-tiny-tales',
  endpoint: 'tiny-gpt-chat',
} as const;

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** A small corpus made here (so it is ours to license, MIT): simple sentences from a grammar, one per line. */
export function tinyTales(sentences: number, seed = 1): string {
  const subjects = ['The cat', 'A small robot', 'The old sailor', 'My sister', 'A curious fox', 'The baker'];
  const verbs = ['found', 'painted', 'carried', 'lost', 'shared', 'built'];
  const objects = ['a red kite', 'the blue door', 'a warm loaf', 'an old map', 'a paper boat', 'the tall tower'];
  const endings = ['before dinner.', 'in the rain.', 'near the river.', 'at sunrise.', 'with a friend.', 'and smiled.'];
  let state = seed;
  const pick = <T>(items: readonly T[]) => {
    state = (state * 1103515245 + 12345) % 2147483648; // deterministic LCG: the same corpus every time
    return items[state % items.length];
  };
  return Array.from({ length: sentences }, () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(endings)}`).join('\n') + '\n';
}

/** The same sentences as JSON Lines, one document each, as Hugging Face datasets are written: the model learns where a text ends. */
export function tinyTalesJsonl(sentences: number, seed = 1): string {
  return tinyTales(sentences, seed)
    .trimEnd()
    .split('\n')
    .map((text) => JSON.stringify({ text }))
    .join('\n') + '\n';
}

/** The demo's dataset in S3; false when it was there already (the demo is seeded once per data folder). */
export async function seedDemoDataset(endpoint: string): Promise<boolean> {
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  try {
    if (await bucketExists(s3, DEMO.bucket)) {
      return false;
    }
    await s3.send(new CreateBucketCommand({ Bucket: DEMO.bucket }));
    await s3.send(new PutObjectCommand({ Bucket: DEMO.bucket, Key: `${DEMO.trainPrefix}train.jsonl`, Body: tinyTalesJsonl(2000, 1) }));
    await s3.send(new PutObjectCommand({ Bucket: DEMO.bucket, Key: `${DEMO.trainPrefix}validation.jsonl`, Body: tinyTalesJsonl(200, 2) }));
    return true;
  } finally {
    s3.destroy();
  }
}

/** The demo's training job of the built-in GPT on that dataset. */
export async function startDemoTraining(endpoint: string): Promise<void> {
  const sageMaker = new SageMakerClient(clientConfig(endpoint));
  try {
    await sageMaker.send(
      new CreateTrainingJobCommand(
        gptTrainingJobRequest(DEMO.trainingJob, {
          // The curves the extension plots: CloudWatch metrics under /aws/sagemaker/TrainingJobs.
          metrics: true,
          role: EXECUTION_ROLE_ARN,
          hyperParameters: { layers: '2', heads: '2', width: '64', context: '64', steps: '300' },
          train: `s3://${DEMO.bucket}/${DEMO.trainPrefix}`,
          output: `s3://${DEMO.bucket}/models/`,
          checkpoints: `s3://${DEMO.bucket}/checkpoints/${DEMO.trainingJob}/`,
          instanceType: 'ml.m5.xlarge',
        }),
      ),
    );
  } finally {
    sageMaker.destroy();
  }
}

/** The demo's dataset and training job, once per data folder. */
export async function seedDemo(endpoint: string): Promise<void> {
  if (await seedDemoDataset(endpoint)) await startDemoTraining(endpoint);
}

/**
 * Once the demo job has trained, deploys its model as the endpoint `tiny-gpt-chat` (one instance of
 * the built-in GPT's model server, on ml.m5.xlarge: a type the price table knows, so the Endpoints view
 * shows what it would cost). Waits as long as the job runs; does nothing if the endpoint exists.
 */
export async function deployDemoModel(endpoint: string): Promise<void> {
  const sageMaker = new SageMakerClient(clientConfig(endpoint));
  try {
    const existing = await sageMaker.send(new DescribeEndpointCommand({ EndpointName: DEMO.endpoint })).catch(() => undefined);
    if (existing) return;
    await waitUntilTrainingJobCompletedOrStopped({ client: sageMaker, maxWaitTime: 3600, minDelay: 2, maxDelay: 5 }, { TrainingJobName: DEMO.trainingJob });
    const job = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: DEMO.trainingJob }));
    const modelData = job.ModelArtifacts?.S3ModelArtifacts;
    if (job.TrainingJobStatus !== 'Completed' || !modelData) throw new Error(`the demo training job ended ${job.TrainingJobStatus}: ${job.FailureReason ?? ''}`);
    await sageMaker.send(
      new CreateModelCommand({
        ModelName: DEMO.model,
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/builtin-gpt:latest', ModelDataUrl: modelData },
      }),
    );
    await sageMaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: DEMO.endpoint,
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: DEMO.model, InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 1 }],
      }),
    );
    await sageMaker.send(new CreateEndpointCommand({ EndpointName: DEMO.endpoint, EndpointConfigName: DEMO.endpoint }));
  } finally {
    sageMaker.destroy();
  }
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      return false;
    }
    throw error;
  }
}
