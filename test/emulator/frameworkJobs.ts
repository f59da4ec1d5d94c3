// Training jobs as the SageMaker Python SDK's framework estimators create them (PyTorch(entry_point=…,
// source_dir=…).fit()): the source folder as sourcedir.tar.gz in S3, every hyperparameter
// JSON-encoded with the SDK's own sagemaker_* ones; and what the tests read back: each host's log
// (the files of model.tar.gz and output.tar.gz: runtimeTestHelpers' archiveFiles).
import { type CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { makeTempDir } from '../../harness/emulatorClients';

/** Session.default_bucket() of account 000000000000 in us-east-1. */
export const BUCKET = 'sagemaker-us-east-1-000000000000';

/** A job as a framework estimator's fit() creates it (sagemaker/estimator.py, pytorch/estimator.py). */
export function frameworkJob(
  name: string,
  image: string,
  user: Record<string, string | number>,
  overrides: Partial<CreateTrainingJobCommandInput> = {},
): CreateTrainingJobCommandInput {
  // EstimatorBase._json_encode_hyperparameters: json.dumps of every value, the SDK's own included.
  const hyperParameters: Record<string, string> = Object.fromEntries(Object.entries(user).map(([key, value]) => [key, JSON.stringify(value)]));
  Object.assign(hyperParameters, {
    sagemaker_submit_directory: JSON.stringify(`s3://${BUCKET}/${name}/source/sourcedir.tar.gz`),
    sagemaker_program: JSON.stringify('train.py'),
    sagemaker_container_log_level: '20',
    sagemaker_job_name: JSON.stringify(name),
    sagemaker_region: JSON.stringify('us-east-1'),
  });
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }] },
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    HyperParameters: hyperParameters,
    InputDataConfig: [
      {
        ChannelName: 'training',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/training`, S3DataDistributionType: 'FullyReplicated' } },
      },
    ],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/` },
    ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    StoppingCondition: { MaxRuntimeInSeconds: 300 },
    ...overrides,
  };
}

/** fw_utils.tar_and_upload_dir: the source folder's entries at the archive's root, uploaded with SSE as the SDK asks. */
export async function uploadSourceDir(s3: S3Client, job: string, sourceDir: string): Promise<void> {
  const scratch = makeTempDir('sourcedir');
  try {
    const archive = path.join(scratch.path, 'sourcedir.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: sourceDir }, readdirSync(sourceDir));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${job}/source/sourcedir.tar.gz`, Body: readFileSync(archive), ServerSideEncryption: 'aws:kms' }),
    );
  } finally {
    scratch.remove();
  }
}

/** Each host's log lines, by host, in the order the host wrote them (attempts in order). */
export async function hostLogs(logs: CloudWatchLogsClient, job: string): Promise<Map<string, string[]>> {
  const group = '/aws/sagemaker/TrainingJobs';
  const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${job}/`, orderBy: 'LogStreamName' }));
  const byHost = new Map<string, string[]>();
  for (const stream of logStreams) {
    const host = /^[^/]+\/(algo-\d+)-\d+$/.exec(stream.logStreamName ?? '')![1];
    const { events = [] } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream.logStreamName, startFromHead: true }));
    byHost.set(host, [...(byHost.get(host) ?? []), ...events.map((event) => event.message ?? '')]);
  }
  return byHost;
}

/** `7777` as SageMaker gives every job, unless the emulator said another job on this machine held it then. */
export function expectedMasterPorts(emulatorLog: string[], name: string): string[] {
  const moved = emulatorLog.map((line) => new RegExp(`^training job ${name}: MASTER_PORT is (\\d+), since`).exec(line)?.[1]).filter((port) => port !== undefined);
  return moved.length > 0 ? moved : ['7777'];
}
