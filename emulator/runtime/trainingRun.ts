// One training job, run as SageMaker runs it: Starting → Downloading → Training → Uploading →
// Completed (or Failed, Stopped, MaxRuntimeExceeded; Interrupted and restarted for managed spot).
// Each host is a local process with the container contract of trainingLayout.ts; logs go to
// CloudWatch Logs, checkpoints to CheckpointConfig.S3Uri while the job runs, the model to
// `<S3OutputPath>/<job>/output/model.tar.gz`.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateTrainingJobCommandInput, SecondaryStatus } from '@aws-sdk/client-sagemaker';
import { readdir, readFile, rm, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { CheckpointSync } from './checkpointSync';
import { containerLaunch, ImageNotFound, type ImageRegistry } from './images';
import { HostProcess, type HostExit } from './hostProcess';
import { ensureLogStream, LogShipper, TRAINING_LOG_GROUP } from './logShipper';
import { finalMetrics, metricMatcher, type MetricSample } from './metrics';
import { downloadPrefix, downloadTarGz, joinKey, parseS3Uri, uploadTarGz } from './s3Transfer';
import { hostLayout, hostNames, prepareHost, trainingEnvironment, type HostLayout } from './trainingLayout';

export interface TrainingResults {
  modelArtifacts?: string;
  finalMetrics?: ReturnType<typeof finalMetrics>;
  metricSamples?: MetricSample[];
  trainingSeconds?: number;
  billableSeconds?: number;
}

/** The job record as the runtime sees it; implemented by the SageMaker service over its store. */
export interface TrainingJobDriver {
  readonly request: CreateTrainingJobCommandInput;
  readonly arn: string;
  /** As it was when the driver was made. */
  readonly secondaryStatus: SecondaryStatus;
  readonly region: string;
  advance(status: SecondaryStatus, details?: { message?: string; failureReason?: string }): Promise<void>;
  record(results: TrainingResults): Promise<void>;
}

export interface TrainingRuntimeDeps {
  s3: S3Client;
  logs: CloudWatchLogsClient;
  images: ImageRegistry;
  /** Where job folders are made; a job's folder is removed when it ends. */
  workDir: string;
  /** Free loopback ports for the hosts' rendezvous. */
  freePort: () => Promise<number>;
  log: (line: string) => void;
  timing: RuntimeTiming;
  /** Called with each host's process group id, so a restart can end hosts a crash left behind. */
  hostStarted: (pid: number) => Promise<void>;
}

export interface RuntimeTiming {
  /** How long hosts get between SIGTERM and SIGKILL on stop (SageMaker: 120 s). */
  stopGraceMs: number;
  checkpointScanMs: number;
  logFlushMs: number;
  /** How long a reclaimed spot job waits for capacity before restarting (not billed). */
  spotRestartDelayMs: number;
}

type Ending =
  | { kind: 'completed' }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' }
  | { kind: 'maxRuntime' }
  | { kind: 'interrupted' }
  /** The emulator is shutting down: the job keeps its status and resumes on the next start. */
  | { kind: 'abandoned' };

const FAILURE_TAIL_LINES = 5;

/** On emulator shutdown hosts get this long before SIGKILL; their checkpoints are already synced. */
const ABANDON_GRACE_MS = 2000;

class Attempt {
  /** Set by stop(), interrupt() or the runtime limit; the first one wins. */
  requested: Ending | undefined;
  readonly hosts: HostProcess[] = [];
}

export class TrainingRun {
  private attempt = new Attempt();
  private readonly samples: MetricSample[] = [];
  private readonly startedAt = Date.now();
  private billableMs = 0;

  constructor(
    private readonly deps: TrainingRuntimeDeps,
    private readonly job: TrainingJobDriver,
  ) {}

  private get name(): string {
    return this.job.request.TrainingJobName ?? '';
  }

  /** StopTrainingJob: SIGTERM to every host, then the usual upload of checkpoints and model. */
  stop(): void {
    this.endAttempt({ kind: 'stopped' });
  }

  /** A managed spot reclaim (an emulator fault): the job restarts from its checkpoints by itself. */
  interrupt(): boolean {
    if (!this.job.request.EnableManagedSpotTraining) return false;
    this.endAttempt({ kind: 'interrupted' });
    return true;
  }

  /** Emulator shutdown: hosts end (after a short grace), the job's status stays as it is. */
  abandon(): void {
    this.endAttempt({ kind: 'abandoned' }, ABANDON_GRACE_MS);
  }

  private endAttempt(ending: Ending, graceMs = this.deps.timing.stopGraceMs): void {
    if (this.attempt.requested) return;
    this.attempt.requested = ending;
    for (const host of this.attempt.hosts) void host.stop(graceMs);
  }

  /** Runs the job to its end; every failure becomes the job's FailureReason, never an exception. */
  async run(resuming = false): Promise<void> {
    const jobDir = path.join(this.deps.workDir, `${this.name}-${Date.now().toString(36)}`);
    try {
      let ending = await this.runAttempt(jobDir, resuming);
      while (ending.kind === 'interrupted') {
        await this.job.advance('Interrupted', { message: 'Managed spot capacity was reclaimed; restarting from the latest checkpoint' });
        const waitLeftMs = this.maxWaitMs() - (Date.now() - this.startedAt);
        if (waitLeftMs <= this.deps.timing.spotRestartDelayMs) {
          await this.finish({ kind: 'failed', reason: '' }, jobDir, 'MaxWaitTimeExceeded');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.deps.timing.spotRestartDelayMs));
        await rm(jobDir, { recursive: true, force: true });
        this.attempt = new Attempt();
        ending = await this.runAttempt(jobDir, true);
      }
      if (ending.kind !== 'abandoned') await this.finish(ending, jobDir);
    } catch (error) {
      this.deps.log(`training job ${this.name}: ${(error as Error).stack ?? error}`);
      await this.job
        .advance('Failed', { failureReason: failureOf(error) })
        .catch((advanceError: Error) => this.deps.log(`training job ${this.name}: ${advanceError.message}`));
    } finally {
      await rm(jobDir, { recursive: true, force: true });
    }
  }

  private maxWaitMs(): number {
    return (this.job.request.StoppingCondition?.MaxWaitTimeInSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  }

  private async runAttempt(jobDir: string, resuming: boolean): Promise<Ending> {
    const { request } = this.job;
    const hosts = hostNames(request.ResourceConfig?.InstanceCount ?? 1);
    const layouts = hosts.map((host) => hostLayout(jobDir, host, request.CheckpointConfig?.LocalPath));
    const image = this.deps.images.resolve(request.AlgorithmSpecification?.TrainingImage ?? '');
    if (resuming) await this.job.advance('Restarting');

    await this.job.advance('Downloading');
    for (const layout of layouts) await prepareHost(layout, request, hosts);
    await this.downloadInputs(jobDir, layouts);
    const codeDir = await this.downloadCode(jobDir);
    if (this.attempt.requested) return this.attempt.requested;

    await this.job.advance('Training');
    const trainingStarted = Date.now();
    const maxRuntimeMs = (request.StoppingCondition?.MaxRuntimeInSeconds ?? 86_400) * 1000;
    const runtimeLimit = setTimeout(() => this.endAttempt({ kind: 'maxRuntime' }), maxRuntimeMs);
    const checkpointSyncs = this.checkpointSyncs(layouts);
    const streamTime = Math.floor(Date.now() / 1000);
    const shippers = await Promise.all(
      layouts.map(async (layout) => {
        const stream = `${this.name}/${layout.hostName}-${streamTime}`;
        await ensureLogStream(this.deps.logs, TRAINING_LOG_GROUP, stream);
        const shipper = new LogShipper(this.deps.logs, TRAINING_LOG_GROUP, stream, (error) => this.deps.log(`log shipping: ${error.message}`));
        shipper.start(this.deps.timing.logFlushMs);
        return shipper;
      }),
    );
    const metrics = metricMatcher(request.AlgorithmSpecification?.MetricDefinitions);
    const hostAddresses: string[] = [];
    for (let index = 0; index < hosts.length; index++) hostAddresses.push(`127.0.0.1:${await this.deps.freePort()}`);
    const masterPort = Number(hostAddresses[0].split(':')[1]);
    const hyperParameters = request.HyperParameters ?? {};
    const launch = containerLaunch(image, request.AlgorithmSpecification, hyperParameters, codeDir);
    // The last lines of each host, for a FailureReason when a script dies without writing one.
    const tails = layouts.map(() => [] as string[]);
    let exits: HostExit[];
    try {
      layouts.forEach((layout, rank) => {
        const env = trainingEnvironment(request, { layout, hosts, rank, masterPort, hostAddresses, jobName: this.name, jobArn: this.job.arn, region: this.job.region });
        const host = new HostProcess(launch, env, (line) => {
          const now = Date.now();
          shippers[rank].append(line, now);
          tails[rank] = [...tails[rank].slice(1 - FAILURE_TAIL_LINES), line];
          if (rank === 0) this.samples.push(...metrics.samples(line, now));
        });
        this.attempt.hosts.push(host);
        if (host.pid !== undefined) void this.deps.hostStarted(host.pid);
      });
      // One host failing fails the job: stop the others as soon as any exits badly.
      exits = await Promise.all(
        this.attempt.hosts.map(async (host, rank) => {
          const exit = await host.exited;
          if (exit.code !== 0 && !this.attempt.requested) {
            this.endAttempt({ kind: 'failed', reason: await this.failureReason(layouts[rank], exit, tails[rank]) });
          }
          return exit;
        }),
      );
    } finally {
      clearTimeout(runtimeLimit);
      this.billableMs += Date.now() - trainingStarted;
      await Promise.all(shippers.map((shipper) => shipper.close()));
      // Checkpoints are uploaded whatever the ending, so a stopped or reclaimed job can resume.
      await Promise.all(checkpointSyncs.map((sync) => sync.finish()));
    }
    if (this.attempt.requested) return this.attempt.requested;
    return exits.every((exit) => exit.code === 0) ? { kind: 'completed' } : { kind: 'failed', reason: 'AlgorithmError: a host exited' };
  }

  private async finish(ending: Ending, jobDir: string, limitStatus?: SecondaryStatus): Promise<void> {
    const results: TrainingResults = {
      finalMetrics: finalMetrics(this.samples),
      metricSamples: this.samples,
      trainingSeconds: Math.max(1, Math.round((Date.now() - this.startedAt) / 1000)),
      billableSeconds: Math.max(1, Math.round(this.billableMs / 1000)),
    };
    if (limitStatus) {
      await this.job.record(results);
      await this.job.advance(limitStatus);
      return;
    }
    if (ending.kind === 'failed') {
      await this.job.record(results);
      await this.job.advance('Failed', { failureReason: ending.reason });
      return;
    }
    // A stopped job's secondary status goes straight from Stopping to Stopped, uploads and all.
    if (ending.kind !== 'stopped') await this.job.advance('Uploading');
    results.modelArtifacts = await this.uploadOutputs(jobDir);
    await this.job.record(results);
    await this.job.advance(ending.kind === 'completed' ? 'Completed' : ending.kind === 'maxRuntime' ? 'MaxRuntimeExceeded' : 'Stopped');
  }

  /** Channels in File mode: FullyReplicated data is downloaded once and linked into every host. */
  private async downloadInputs(jobDir: string, layouts: HostLayout[]): Promise<void> {
    for (const channel of this.job.request.InputDataConfig ?? []) {
      const source = channel.DataSource?.S3DataSource;
      const name = channel.ChannelName ?? '';
      if (!source?.S3Uri) continue;
      const location = parseS3Uri(source.S3Uri);
      if (source.S3DataDistributionType === 'ShardedByS3Key') {
        for (const [index, layout] of layouts.entries()) {
          await downloadPrefix(this.deps.s3, location, path.join(layout.dataDir, name), { index, count: layouts.length });
        }
        continue;
      }
      const shared = path.join(jobDir, 'channels', name);
      await downloadPrefix(this.deps.s3, location, shared);
      for (const layout of layouts) {
        await rm(path.join(layout.dataDir, name), { recursive: true, force: true });
        await symlink(shared, path.join(layout.dataDir, name), 'dir');
      }
    }
    const checkpointUri = this.job.request.CheckpointConfig?.S3Uri;
    if (checkpointUri) {
      for (const layout of layouts) await downloadPrefix(this.deps.s3, parseS3Uri(checkpointUri), layout.checkpointDir);
    }
  }

  /** Script mode: the SageMaker Python SDK uploads the source folder as a tarball and names it here. */
  private async downloadCode(jobDir: string): Promise<string | undefined> {
    const submitted = this.job.request.HyperParameters?.sagemaker_submit_directory?.replace(/^"|"$/g, '');
    if (!submitted?.startsWith('s3://')) return undefined;
    const codeDir = path.join(jobDir, 'code');
    await downloadTarGz(this.deps.s3, parseS3Uri(submitted), codeDir);
    return codeDir;
  }

  private checkpointSyncs(layouts: HostLayout[]): CheckpointSync[] {
    const uri = this.job.request.CheckpointConfig?.S3Uri;
    if (!uri) return [];
    return layouts.map((layout) => {
      const sync = new CheckpointSync(this.deps.s3, layout.checkpointDir, parseS3Uri(uri), (error) =>
        this.deps.log(`checkpoint upload for ${this.name}: ${error.message}`),
      );
      sync.start(this.deps.timing.checkpointScanMs);
      return sync;
    });
  }

  /** The model (and output data, if any) of the first host, as SageMaker uploads them. */
  private async uploadOutputs(jobDir: string): Promise<string | undefined> {
    const outputPath = this.job.request.OutputDataConfig?.S3OutputPath;
    if (!outputPath) return undefined;
    const output = parseS3Uri(outputPath);
    const first = hostLayout(jobDir, 'algo-1', this.job.request.CheckpointConfig?.LocalPath);
    const modelKey = joinKey(output.key, `${this.name}/output/model.tar.gz`);
    await uploadTarGz(this.deps.s3, first.modelDir, { bucket: output.bucket, key: modelKey });
    if ((await readdir(first.outputDataDir).catch(() => [])).length > 0) {
      await uploadTarGz(this.deps.s3, first.outputDataDir, { bucket: output.bucket, key: joinKey(output.key, `${this.name}/output/output.tar.gz`) });
    }
    return `s3://${output.bucket}/${modelKey}`;
  }

  /** SageMaker's FailureReason: the host's /opt/ml/output/failure file, else its exit status and last lines. */
  private async failureReason(layout: HostLayout, exit: HostExit, tail: string[]): Promise<string> {
    const written = (await readFile(layout.failureFile, 'utf8').catch(() => '')).trim();
    if (written) return `AlgorithmError: ${written.slice(0, 1024)}`;
    const status = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `AlgorithmError: ${layout.hostName} ${status}${tail.length ? `: ${tail.join('\n')}` : ''}`.slice(0, 1024);
  }
}

/** The user's mistakes (an unmapped image, a missing bucket or key) are ClientErrors, as on SageMaker. */
function failureOf(error: unknown): string {
  const { name, message } = error as Error;
  const clientError = error instanceof ImageNotFound || ['NoSuchBucket', 'NoSuchKey', 'AccessDenied', 'InvalidBucketName'].includes(name);
  return `${clientError ? 'ClientError' : 'InternalServerError'}: ${message}`;
}
