// `node out/bench/runtime.js`: how fast a training job's output becomes visible through the AWS
// APIs, against the budgets of the training runtime issue. Each figure is the median of several
// jobs run against one emulator process (the bundle, as users run it).
import { CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import * as path from 'node:path';
import { startEmulatorProcess } from '../test/vscode/emulatorProcess';
import { REPO_ROOT } from '../test/vscode/paths';
import { median } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = 5;
const POLL_MS = 20;

async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}


async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sageMaker = new SageMakerClient(config);
  const logs = new CloudWatchLogsClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-runtime' }));
  const firstLine: number[] = [];
  const checkpoint: number[] = [];
  const logLine: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `bench-${round}-${Date.now()}`;
      const created = Date.now();
      await sageMaker.send(
        new CreateTrainingJobCommand({
          TrainingJobName: name,
          AlgorithmSpecification: {
            TrainingImage: 'sagemaker-emulator/node',
            TrainingInputMode: 'File',
            ContainerArguments: [path.join(REPO_ROOT, 'bench', 'fixtures', 'timed-job.js')],
          },
          RoleArn: 'arn:aws:iam::000000000000:role/bench',
          OutputDataConfig: { S3OutputPath: 's3://bench-runtime/output' },
          CheckpointConfig: { S3Uri: `s3://bench-runtime/checkpoints/${name}/` },
          ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
          StoppingCondition: { MaxRuntimeInSeconds: 60 },
        }),
      );
      const stream = await poll(async () => {
        const { logStreams = [] } = await logs.send(
          new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: `${name}/` }),
        );
        return logStreams[0]?.logStreamName;
      });
      const read = async () =>
        (await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: stream, startFromHead: true })))
          .events ?? [];
      await poll(async () => ((await read()).length > 0 ? true : undefined));
      firstLine.push(Date.now() - created);
      const written = await poll(async () => {
        const line = (await read()).find((event) => event.message?.startsWith('checkpoint '));
        return line ? Number(line.message!.split(' ')[1]) : undefined;
      });
      await poll(() => s3.send(new HeadObjectCommand({ Bucket: 'bench-runtime', Key: `checkpoints/${name}/checkpoint.bin` })).then(() => true));
      checkpoint.push(Date.now() - written);
      const marked = await poll(async () => {
        const line = (await read()).find((event) => event.message?.startsWith('marker '));
        return line ? Number(line.message!.split(' ')[1]) : undefined;
      });
      logLine.push(Date.now() - marked);
    }
  } finally {
    await emulator.stop();
  }
  const rows: [string, number, number][] = [
    ['CreateTrainingJob → first log line readable (GetLogEvents)', median(firstLine), 1000],
    ['checkpoint file written → object visible in S3', median(checkpoint), 2000],
    ['log line written → readable (GetLogEvents)', median(logLine), 1000],
  ];
  console.log(`| figure (median of ${ROUNDS} jobs, polled every ${POLL_MS} ms) | measured | budget | ratio | ok? |`);
  console.log('|---|---|---|---|---|');
  for (const [figure, measured, budget] of rows) {
    console.log(`| ${figure} | ${measured} ms | ${budget} ms | ${(measured / budget).toFixed(2)} | ${measured <= budget ? 'yes' : 'NO'} |`);
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
