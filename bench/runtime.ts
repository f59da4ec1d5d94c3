// `node out/bench/runtime.js`: how fast a training job's output becomes visible through the AWS
// APIs, against the budgets of the training runtime issue, and what starting each host in its own
// mount namespace (bubblewrap) costs. Two emulator processes (the bundle, as users run it) run side
// by side in this one run — one as shipped, one with --no-host-sandbox — and their jobs alternate,
// so the machine's load falls on both alike; each figure is the median of several jobs.
import { CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { hostEnvironment } from '../emulator/runtime/hosts/hostEnvironment';
import { HostProcess } from '../emulator/runtime/hosts/hostProcess';
import { HostSandbox } from '../emulator/runtime/hosts/hostSandbox';
import { type EmulatorProcess, startEmulatorProcess } from '../harness/emulatorProcess';
import { REPO_ROOT } from '../harness/paths';
import { median, runBenchmark } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROUNDS = 9;
/** Host starts measured directly, alternating with and without the namespace. */
const HOST_STARTS = 31;
const POLL_MS = 20;
/** The figure: a host started in its namespace adds at most this to a job's first log line. */
const SANDBOX_BUDGET_MS = 20;

async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface JobTimes {
  /** CreateTrainingJob → the script's first line, by the script's own clock: the runtime's work, host start included. */
  printed: number;
  /** CreateTrainingJob → that line readable through GetLogEvents. */
  readable: number;
  /** The checkpoint file written → its object in S3. */
  checkpoint: number;
  /** A later line written → readable. */
  logLine: number;
}

/** One emulator and the clients of it. */
class Side {
  readonly s3: S3Client;
  readonly sageMaker: SageMakerClient;
  readonly logs: CloudWatchLogsClient;
  readonly times: JobTimes[] = [];

  constructor(readonly emulator: EmulatorProcess) {
    const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.sageMaker = new SageMakerClient(config);
    this.logs = new CloudWatchLogsClient(config);
  }

  async job(name: string): Promise<JobTimes> {
    const created = Date.now();
    await this.sageMaker.send(
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
      const { logStreams = [] } = await this.logs.send(
        new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: `${name}/` }),
      );
      return logStreams[0]?.logStreamName;
    });
    const read = async () =>
      (await this.logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: stream, startFromHead: true }))).events ?? [];
    const stamped = async (prefix: string) => {
      const line = (await read()).find((event) => event.message?.startsWith(`${prefix} `));
      return line ? Number(line.message!.split(' ')[1]) : undefined;
    };
    const started = await poll(() => stamped('started'));
    const readable = Date.now() - created;
    const written = await poll(() => stamped('checkpoint'));
    await poll(() => this.s3.send(new HeadObjectCommand({ Bucket: 'bench-runtime', Key: `checkpoints/${name}/checkpoint.bin` })).then(() => true));
    const checkpoint = Date.now() - written;
    const marked = await poll(() => stamped('marker'));
    return { printed: started - created, readable, checkpoint, logLine: Date.now() - marked };
  }

  destroy(): void {
    for (const client of [this.s3, this.sageMaker, this.logs]) client.destroy();
  }
}

/**
 * A host process alone, as the runtimes start one (HostProcess), with and without its namespace:
 * spawn → its first line of output. Without the job around it (downloads, logs), the namespace's
 * own cost shows with less noise than in a whole job's figures.
 */
async function hostStarts(): Promise<{ sandboxed: number[]; plain: number[] }> {
  const sandbox = await new HostSandbox().ready();
  if (!sandbox.enabled) throw new Error(`no namespaces here: ${sandbox.describe()}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-host-'));
  writeFileSync(path.join(dir, 'hosts'), '127.0.0.1 localhost\n');
  const times = { sandboxed: [] as number[], plain: [] as number[] };
  // The environment a host gets (nothing reaches AWS here: the process only prints).
  const environment = hostEnvironment({ access: { endpointUrl: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }, contract: {} });
  try {
    for (let round = 0; round < HOST_STARTS; round++) {
      for (const kind of round % 2 === 0 ? (['sandboxed', 'plain'] as const) : (['plain', 'sandboxed'] as const)) {
        const started = performance.now();
        const firstLine = new Promise<number>((resolve) => {
          const host = new HostProcess(
            { command: process.execPath, args: ['-e', "console.log('up')"], env: {}, sandbox: kind === 'sandboxed' ? sandbox.spec(dir, { hostsFile: path.join(dir, 'hosts') }) : undefined },
            environment,
            () => resolve(performance.now() - started),
          );
          void host.exited;
        });
        times[kind].push(await firstLine);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

async function main(): Promise<void> {
  const starts = await hostStarts();
  const sandboxed = new Side(await startEmulatorProcess());
  const plain = new Side(await startEmulatorProcess({ hostSandbox: false }));
  const sides = [sandboxed, plain];
  try {
    for (const side of sides) await side.s3.send(new CreateBucketCommand({ Bucket: 'bench-runtime' }));
    // A first job on each, not counted: it also finds out whether namespaces work here (once per emulator).
    for (const [index, side] of sides.entries()) await side.job(`bench-warm-${index}-${Date.now()}`);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always runs just after the other.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) side.times.push(await side.job(`bench-${round}-${sides.indexOf(side)}-${Date.now()}`));
    }
  } finally {
    for (const side of sides) {
      side.destroy();
      await side.emulator.stop();
    }
  }
  const figure = (side: Side, key: keyof JobTimes) => median(side.times.map((times) => times[key]));
  const rows: [string, number, number][] = [
    ['CreateTrainingJob → first log line readable (GetLogEvents)', figure(sandboxed, 'readable'), 1000],
    ['checkpoint file written → object visible in S3', figure(sandboxed, 'checkpoint'), 2000],
    ['log line written → readable (GetLogEvents)', figure(sandboxed, 'logLine'), 1000],
  ];
  console.log(`| figure (median of ${ROUNDS} jobs, polled every ${POLL_MS} ms) | measured | budget | ratio | ok? |`);
  console.log('|---|---|---|---|---|');
  for (const [name, measured, budget] of rows) {
    console.log(`| ${name} | ${measured} ms | ${budget} ms | ${(measured / budget).toFixed(2)} | ${measured <= budget ? 'yes' : 'NO'} |`);
  }
  console.log('');
  console.log('| host start, in its namespace vs a plain process (medians, alternating) | in its namespace | plain process | added | budget | ratio | ok? |');
  console.log('|---|---|---|---|---|---|---|');
  const row = (name: string, inNamespace: number, asPlain: number) => {
    const added = Math.round(inNamespace - asPlain);
    console.log(
      `| ${name} | ${Math.round(inNamespace)} ms | ${Math.round(asPlain)} ms | ${added} ms | ${SANDBOX_BUDGET_MS} ms | ${(added / SANDBOX_BUDGET_MS).toFixed(2)} | ${added <= SANDBOX_BUDGET_MS ? 'yes' : 'NO'} |`,
    );
  };
  row(`a host process alone: spawn → its first line (${HOST_STARTS} each)`, median(starts.sandboxed), median(starts.plain));
  row(`CreateTrainingJob → the script's first line printed, by its clock (${ROUNDS} jobs each)`, figure(sandboxed, 'printed'), figure(plain, 'printed'));
  row(`CreateTrainingJob → first log line readable (${ROUNDS} jobs each; includes the 200 ms log flush tick)`, figure(sandboxed, 'readable'), figure(plain, 'readable'));
}

runBenchmark(main);
