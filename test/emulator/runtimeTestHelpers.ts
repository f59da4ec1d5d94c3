// What the tests of jobs that really run share: an emulator that runs jobs with short timings and
// the clients to drive it, waiting for a job to end, reading a job's CloudWatch Logs and the files of
// the archives it wrote.
import { type CloudWatchLogsClient, CloudWatchLogsClient as LogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  waitUntilProcessingJobCompletedOrStopped,
  waitUntilTrainingJobCompletedOrStopped,
  type DescribeProcessingJobCommandOutput,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import type { RuntimeTiming } from '../../emulator/runtime/jobs/trainingRun';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../harness/emulatorClients';
import { REPO_ROOT } from '../../harness/paths';
import { until } from '../../harness/waiting';

/** The scripts, images and prompt files the emulator tests run (defined once, here). */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'emulator', 'fixtures');

export const FAST_TIMING: RuntimeTiming = { stopGraceMs: 3000, checkpointScanMs: 200, logFlushMs: 100, spotRestartDelayMs: 1500 };

export interface JobEmulator {
  emulator: RunningEmulator;
  dataDir: string;
  s3: S3Client;
  sageMaker: SageMakerClient;
  logs: CloudWatchLogsClient;
  /** Closes the clients and the emulator, and deletes its data. */
  close(): Promise<void>;
}

/** An in-process emulator that runs jobs, with `bucket` created. */
export async function startJobEmulator(
  name: string,
  bucket: string,
  runtime: { maxConcurrentJobs: number; timing?: Partial<RuntimeTiming> },
): Promise<JobEmulator> {
  const dataDir = makeTempDir(name);
  const emulator = await startEmulator({ dataDir: dataDir.path, runtime: { timing: FAST_TIMING, ...runtime } });
  const s3 = s3Client(emulator.url);
  const sageMaker = sagemakerClient(emulator.url);
  const logs = new LogsClient(clientConfig(emulator.url));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    emulator,
    dataDir: dataDir.path,
    s3,
    sageMaker,
    logs,
    async close() {
      for (const client of [s3, sageMaker, logs]) client.destroy();
      await emulator.close();
      dataDir.remove();
    },
  };
}

const WAITER = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

/** The job's description once it has ended (the SDK waiter rejects on Failed; the caller asserts on the description). */
export async function finishedTrainingJob(sageMaker: SageMakerClient, name: string): Promise<DescribeTrainingJobCommandOutput> {
  await waitUntilTrainingJobCompletedOrStopped({ client: sageMaker, ...WAITER }, { TrainingJobName: name }).catch(() => undefined);
  return sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
}

export async function finishedProcessingJob(sageMaker: SageMakerClient, name: string): Promise<DescribeProcessingJobCommandOutput> {
  await waitUntilProcessingJobCompletedOrStopped({ client: sageMaker, ...WAITER }, { ProcessingJobName: name }).catch(() => undefined);
  return sageMaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
}

/** Every line of every stream of `job` in a log group (`/aws/sagemaker/TrainingJobs`, …), stream by stream. */
export async function jobLogLines(logs: CloudWatchLogsClient, group: string, job: string): Promise<string[]> {
  const described = await logs
    .send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${job}/` }))
    .catch((error: Error) => {
      if (error.name === 'ResourceNotFoundException') return { logStreams: [] }; // no job has logged yet
      throw error;
    });
  const lines: string[] = [];
  for (const stream of described.logStreams ?? []) {
    const { events = [] } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream.logStreamName, startFromHead: true }));
    lines.push(...events.map((event) => event.message ?? ''));
  }
  return lines;
}

/**
 * Each host's lines of `job` (`algo-1` → its lines), read from its streams `<job>/algo-<n>-<epoch
 * seconds>` (one per attempt: a spot restart opens another), attempts in order.
 */
export async function hostLogLines(logs: CloudWatchLogsClient, group: string, job: string): Promise<Map<string, string[]>> {
  const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${job}/` }));
  const hosts = new Map<string, string[]>();
  for (const stream of logStreams) {
    const name = stream.logStreamName ?? '';
    const host = /^.*\/(algo-\d+)-\d+$/.exec(name)?.[1] ?? name;
    const { events = [] } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: name, startFromHead: true }));
    hosts.set(host, [...(hosts.get(host) ?? []), ...events.map((event) => event.message ?? '')]);
  }
  return hosts;
}

/** The pid a fixture printed as `pid=N` in its log, once it has. */
export async function loggedPid(logs: CloudWatchLogsClient, group: string, job: string): Promise<number> {
  return until(`${job} to log its pid`, async () => {
    const line = (await jobLogLines(logs, group, job)).find((text) => text.startsWith('pid='));
    return line ? Number(line.slice('pid='.length)) : undefined;
  });
}

/** The files of a .tar.gz object, by path. */
export async function archiveFiles(s3: S3Client, bucket: string, key: string): Promise<Map<string, string>> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const files = new Map<string, string>();
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      let text = '';
      entry.on('data', (chunk: Buffer) => (text += chunk.toString()));
      entry.on('end', () => entry.type === 'File' && files.set(entry.path.replace(/^\.\//, ''), text));
    },
  });
  await new Promise<void>((resolve, reject) => (Body as Readable).pipe(parser).on('end', resolve).on('error', reject));
  return files;
}

/** An object's text, or undefined while it does not exist. */
export async function objectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await Body!.transformToString();
  } catch {
    return undefined;
  }
}
