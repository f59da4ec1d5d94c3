// The demo that `npm start` and the UI test show: a dataset in S3 and a training job that reads it,
// created through the same SDK calls a user's code would make. Idempotent.
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

export const DEMO = {
  bucket: 'llm-workbench-demo',
  trainPrefix: 'datasets/tiny-tales/',
  trainingJob: 'tiny-gpt-tiny-tales-001',
} as const;

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** A small corpus made here (so it is ours to license, MIT): simple sentences from a grammar. */
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

export async function seedDemo(endpoint: string): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  const sageMaker = new SageMakerClient(clientConfig(endpoint));
  try {
    if (await bucketExists(s3, DEMO.bucket)) {
      return;
    }
    await s3.send(new CreateBucketCommand({ Bucket: DEMO.bucket }));
    await s3.send(new PutObjectCommand({ Bucket: DEMO.bucket, Key: `${DEMO.trainPrefix}train.txt`, Body: tinyTales(2000, 1) }));
    await s3.send(new PutObjectCommand({ Bucket: DEMO.bucket, Key: `${DEMO.trainPrefix}validation.txt`, Body: tinyTales(200, 2) }));
    await sageMaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: DEMO.trainingJob,
        AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File' },
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
        HyperParameters: { layers: '2', heads: '2', width: '64', context: '64', steps: '300' },
        InputDataConfig: [
          { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${DEMO.bucket}/${DEMO.trainPrefix}` } } },
        ],
        OutputDataConfig: { S3OutputPath: `s3://${DEMO.bucket}/models/` },
        CheckpointConfig: { S3Uri: `s3://${DEMO.bucket}/checkpoints/${DEMO.trainingJob}/` },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      }),
    );
  } finally {
    s3.destroy();
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
