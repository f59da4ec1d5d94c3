// One training job, run as SageMaker runs it: Starting → Downloading → Training → Uploading →
// Completed (or Failed, Stopped, MaxRuntimeExceeded; Interrupted and restarted for managed spot).
// Each host is a local process with the container contract of trainingLayout.ts; logs go to
// CloudWatch Logs, checkpoints to CheckpointConfig.S3Uri while the job runs, the model to
// `<S3OutputPath>/<job>/output/model.tar.gz`.
import type { CreateTrainingJobCommandInput, SecondaryStatus } from '@aws-sdk/client-sagemaker';
import { cp, readdir, rm, stat, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import * as tar from 'tar';
import { CheckpointSync } from './checkpointSync';
import { afterDelay } from './limits';
import { ABANDON_GRACE_MS, failureOf, HostGroup, JobClientError } from '../hosts/hostGroup';
import type { HostExit } from '../hosts/hostProcess';
import { CONTAINER_ROOT, type HostSandbox, type JobNetwork } from '../hosts/hostSandbox';
import { leaseRendezvousPort, type PortLease } from '../hosts/rendezvousPorts';
import type { ImageCommand, ImageRegistry } from '../hosts/images';
import type { RunContext, SupervisedRun } from './jobSupervisor';
import { TRAINING_LOG_GROUP } from '../hosts/logShipper';
import { finalMetrics, type HostMetricSample, metricMatcher, MetricPublisher, type MetricSample } from './metrics';
import { downloadManifest, downloadPrefix, downloadTarGz, joinKey, parseS3Uri, uploadTarGz } from '../hosts/s3Transfer';
import { pipAvailability, trainingHostSpec, type Rendezvous, type SubmittedCode } from './trainingHost';
import { hostLayout, hostNames, prepareHost, type HostLayout } from './trainingLayout';
import { MASTER_PORT, submitDirectory } from './trainingToolkit';

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
  /** To CloudWatch, as the job runs (TRAINING_METRIC_NAMESPACE). */
  publishMetrics(samples: HostMetricSample[]): Promise<void>;
}

export interface TrainingRuntimeDeps extends RunContext {
  images: ImageRegistry;
  /** Where job folders are made; a job's folder is removed when it ends. */
  workDir: string;
  /** Free loopback ports for the hosts' rendezvous, when hosts run without namespaces. */
  freePort: () => Promise<number>;
  /** How hosts are launched: in their own mount namespace, or as plain processes. */
  sandbox: HostSandbox;
  log: (line: string) => void;
  timing: RuntimeTiming;
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
  /** A managed spot job ran out of MaxWaitTimeInSeconds, waiting for capacity and running together. */
  | { kind: 'maxWait' }
  /** Managed spot: the job restarts from its checkpoints; `message` says why (default: capacity reclaimed). */
  | { kind: 'interrupted'; message?: string }
  /** The emulator is shutting down: the job keeps its status and resumes on the next start. */
  | { kind: 'abandoned' };

/** What an instance failure does to a job: it fails, or (managed spot) restarts; or nothing, if it cannot happen. */
export type InstanceFailureOutcome = 'fails' | 'restarts' | 'notRunning' | 'noSuchHost';

const FINAL_STATUS: Record<'completed' | 'stopped' | 'maxRuntime' | 'maxWait', SecondaryStatus> = {
  completed: 'Completed',
  stopped: 'Stopped',
  maxRuntime: 'MaxRuntimeExceeded',
  maxWait: 'MaxWaitTimeExceeded',
};

class Attempt {
  /** Set by stop(), interrupt(), the runtime limit or a failing host; the first one wins. */
  requested: Ending | undefined;
  readonly hosts: HostGroup;

  constructor(deps: TrainingRuntimeDeps) {
    this.hosts = new HostGroup({ logs: deps.logs, access: deps.access, log: deps.log, logFlushMs: deps.timing.logFlushMs, hostStarted: deps.hostStarted });
  }
}

export class TrainingRun implements SupervisedRun {
  private attempt: Attempt;
  /** Set by stop(), abandon() or the wait limit: ends the job, not only the attempt (e.g. while it waits to restart). */
  private final: Ending | undefined;
  /** Ends the wait for spot capacity early. */
  private wake: (() => void) | undefined;
  private readonly samples: MetricSample[] = [];
  private readonly startedAt = Date.now();
  private billableMs = 0;

  constructor(
    private readonly deps: TrainingRuntimeDeps,
    private readonly job: TrainingJobDriver,
    /** The job ran before the emulator restarted: it resumes from its checkpoints. */
    private readonly resuming = false,
  ) {
    this.attempt = new Attempt(deps);
  }

  private get name(): string {
    return this.job.request.TrainingJobName ?? '';
  }

  /** StopTrainingJob: SIGTERM to every host, then the usual upload of checkpoints and model. */
  stop(): void {
    this.endJob({ kind: 'stopped' });
  }

  /** A managed spot reclaim (an emulator fault): the job restarts from its checkpoints by itself. */
  interrupt(): boolean {
    if (!this.job.request.EnableManagedSpotTraining) return false;
    this.endAttempt({ kind: 'interrupted' });
    return true;
  }

  /**
   * The instance-failure fault: `hostName` dies at once (SIGKILL), the other hosts are stopped. A
   * managed spot job restarts from its checkpoints (as a reclaimed one does, with `repairMessage`);
   * any other fails with `reason`.
   */
  failInstance(hostName: string, failure: { reason: string; repairMessage: string }): InstanceFailureOutcome {
    const rank = hostNames(this.job.request.ResourceConfig?.InstanceCount ?? 1).indexOf(hostName);
    if (rank < 0) return 'noSuchHost';
    if (this.attempt.requested || this.final) return 'notRunning';
    const spot = this.job.request.EnableManagedSpotTraining === true;
    // Killed before the ending is set, so that no signal of the orderly stop reaches it first; its
    // exit is seen only later, when the ending is already this one (not an AlgorithmError).
    this.attempt.hosts.kill(rank);
    this.endAttempt(spot ? { kind: 'interrupted', message: failure.repairMessage } : { kind: 'failed', reason: failure.reason });
    return spot ? 'restarts' : 'fails';
  }

  /** Emulator shutdown: hosts end (their checkpoints are already synced), the job's status stays as it is. */
  abandon(): void {
    this.endJob({ kind: 'abandoned' }, ABANDON_GRACE_MS);
  }

  private endJob(ending: Ending, graceMs?: number): void {
    this.final ??= ending;
    this.endAttempt(ending, graceMs);
    this.wake?.();
  }

  private endAttempt(ending: Ending, graceMs = this.deps.timing.stopGraceMs): void {
    if (this.attempt.requested) return;
    this.attempt.requested = ending;
    this.attempt.hosts.stop(graceMs);
  }

  /** Runs the job to its end; every failure becomes the job's FailureReason, never an exception. */
  async run(): Promise<void> {
    const jobDir = path.join(this.deps.workDir, `${this.name}-${Date.now().toString(36)}`);
    // MaxWaitTimeInSeconds bounds a managed spot job's waiting and running together, from its creation.
    const maxWaitSeconds = this.job.request.StoppingCondition?.MaxWaitTimeInSeconds;
    const waitLimit =
      this.job.request.EnableManagedSpotTraining && maxWaitSeconds !== undefined
        ? afterDelay(maxWaitSeconds * 1000 - (Date.now() - this.startedAt), () => this.endJob({ kind: 'maxWait' }))
        : undefined;
    try {
      let ending = await this.runAttempt(jobDir, this.resuming);
      while (ending.kind === 'interrupted' && !this.final) {
        await this.job.advance('Interrupted', { message: ending.message ?? 'Managed spot capacity was reclaimed; restarting from the latest checkpoint' });
        // Capacity comes back after the restart delay: a job that cannot wait that long ends now.
        const waitLeftMs = this.maxWaitMs() - (Date.now() - this.startedAt);
        if (waitLeftMs <= this.deps.timing.spotRestartDelayMs) this.endJob({ kind: 'maxWait' });
        else await this.waitForCapacity();
        if (this.final) break;
        this.attempt = new Attempt(this.deps);
        await rm(jobDir, { recursive: true, force: true }); // a new instance has nothing of the last one's disk
        ending = await this.runAttempt(jobDir, true);
      }
      // The loop ends an interrupted job only once stop(), abandon() or the wait limit has ended it.
      const last = ending.kind === 'interrupted' ? this.final : ending;
      if (last && last.kind !== 'abandoned' && last.kind !== 'interrupted') await this.finish(last, jobDir);
    } catch (error) {
      this.deps.log(`training job ${this.name}: ${(error as Error).stack ?? error}`);
      await this.job
        .advance('Failed', { failureReason: failureOf(error) })
        .catch((advanceError: Error) => this.deps.log(`training job ${this.name}: ${advanceError.message}`));
    } finally {
      waitLimit?.clear();
      await rm(jobDir, { recursive: true, force: true });
    }
  }

  private maxWaitMs(): number {
    return (this.job.request.StoppingCondition?.MaxWaitTimeInSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  }

  /** The unbilled wait of a reclaimed spot job; stop(), abandon() and the wait limit end it early. */
  private async waitForCapacity(): Promise<void> {
    if (this.final) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deps.timing.spotRestartDelayMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async runAttempt(jobDir: string, resuming: boolean): Promise<Ending> {
    const { request } = this.job;
    const hosts = hostNames(request.ResourceConfig?.InstanceCount ?? 1);
    const layouts = hosts.map((host) => hostLayout(jobDir, host, request.CheckpointConfig?.LocalPath));
    const image = this.deps.images.resolve(request.AlgorithmSpecification?.TrainingImage ?? '');
    if (this.attempt.requested) return this.attempt.requested;
    if (resuming) await this.job.advance('Restarting');

    await this.job.advance('Downloading');
    await this.deps.sandbox.ready();
    for (const layout of layouts) await prepareHost(layout, request, hosts);
    const sharedChannels = await this.downloadInputs(jobDir, layouts);
    const code = await this.downloadCode(layouts, image);
    if (this.attempt.requested) return this.attempt.requested;

    await this.job.advance('Training');
    const trainingStarted = Date.now();
    const maxRuntimeMs = (request.StoppingCondition?.MaxRuntimeInSeconds ?? 86_400) * 1000;
    const runtimeLimit = afterDelay(maxRuntimeMs, () => this.endAttempt({ kind: 'maxRuntime' }));
    const checkpointSyncs = await this.checkpointSyncs(layouts);
    const metrics = metricMatcher(request.AlgorithmSpecification?.MetricDefinitions);
    const publisher = new MetricPublisher((samples) => this.job.publishMetrics(samples), (error) => this.deps.log(`metrics of ${this.name}: ${error.message}`));
    publisher.start(this.deps.timing.logFlushMs);
    let network: JobNetwork | undefined;
    let rendezvousPort: PortLease | undefined;
    let exits: HostExit[] = [];
    try {
      network = this.deps.sandbox.enabled ? await this.deps.sandbox.jobNetwork(`${this.deps.workDir}\n${this.job.arn}`, hosts, path.join(jobDir, 'hosts')) : undefined;
      if (network) rendezvousPort = await this.leaseRendezvousPort();
      const rendezvous = await this.rendezvous(hosts, network && rendezvousPort);
      const specs = await Promise.all(
        layouts.map((layout) =>
          trainingHostSpec({
            request,
            image,
            layout,
            hosts,
            sandbox:
              network &&
              this.deps.sandbox.spec(layout.root, {
                hostsFile: network.hostsFile,
                binds: sharedChannels.map(({ name, dir }) => ({ source: dir, target: path.posix.join(CONTAINER_ROOT, 'input', 'data', name) })),
              }),
            rendezvous,
            code,
            packagesDir: path.join(jobDir, layout.hostName, 'python-packages'),
            jobName: this.name,
            jobArn: this.job.arn,
            region: this.job.region,
          }),
        ),
      );
      // One host failing fails the job: the others are stopped as soon as one exits badly.
      exits = await this.attempt.hosts.run(TRAINING_LOG_GROUP, this.name, specs, {
        onLine: (rank, line, timestamp) => {
          const samples = metrics.samples(line, timestamp);
          if (rank === 0) this.samples.push(...samples);
          publisher.add(specs[rank].hostName, samples);
        },
        onFailure: (reason) => this.endAttempt({ kind: 'failed', reason }),
      });
    } finally {
      runtimeLimit.clear();
      network?.release();
      rendezvousPort?.release();
      this.billableMs += Date.now() - trainingStarted;
      await publisher.close();
      // Checkpoints are uploaded whatever the ending, so a stopped or reclaimed job can resume.
      await Promise.all(checkpointSyncs.map((sync) => sync.finish()));
    }
    if (this.attempt.requested) return this.attempt.requested;
    return exits.every((exit) => exit.code === 0) ? { kind: 'completed' } : { kind: 'failed', reason: 'AlgorithmError: a host exited' };
  }

  private async finish(ending: Exclude<Ending, { kind: 'interrupted' | 'abandoned' }>, jobDir: string): Promise<void> {
    const results: TrainingResults = {
      finalMetrics: finalMetrics(this.samples),
      metricSamples: this.samples,
      trainingSeconds: Math.max(1, Math.round((Date.now() - this.startedAt) / 1000)),
      billableSeconds: Math.max(1, Math.round(this.billableMs / 1000)),
    };
    if (ending.kind === 'failed') {
      await this.job.record(results);
      await this.job.advance('Failed', { failureReason: ending.reason });
      return;
    }
    // A stopped job's secondary status goes straight from Stopping to Stopped, uploads and all.
    if (ending.kind !== 'stopped') await this.job.advance('Uploading');
    results.modelArtifacts = await this.uploadOutputs(jobDir);
    await this.job.record(results);
    await this.job.advance(FINAL_STATUS[ending.kind]);
  }

  /** Channels in File mode: FullyReplicated data is downloaded once and linked into every host. */
  private async downloadInputs(jobDir: string, layouts: HostLayout[]): Promise<Array<{ name: string; dir: string }>> {
    const shared: Array<{ name: string; dir: string }> = [];
    for (const channel of this.job.request.InputDataConfig ?? []) {
      const source = channel.DataSource?.S3DataSource;
      const name = channel.ChannelName ?? '';
      if (!source?.S3Uri) continue;
      const location = parseS3Uri(source.S3Uri);
      // A ManifestFile names the channel's objects; an S3Prefix is every object under it.
      const download = source.S3DataType === 'ManifestFile' ? downloadManifest : downloadPrefix;
      if (source.S3DataDistributionType === 'ShardedByS3Key') {
        for (const [index, layout] of layouts.entries()) {
          await download(this.deps.s3, location, path.join(layout.dataDir, name), { index, count: layouts.length });
        }
        continue;
      }
      const dir = path.join(jobDir, 'channels', name);
      await download(this.deps.s3, location, dir);
      // Every host sees it as its own /opt/ml/input/data/<channel>: bound there in its namespace, linked without one.
      shared.push({ name, dir });
      if (this.deps.sandbox.enabled) continue;
      for (const layout of layouts) {
        await rm(path.join(layout.dataDir, name), { recursive: true, force: true });
        await symlink(dir, path.join(layout.dataDir, name), 'dir');
      }
    }
    const checkpointUri = this.job.request.CheckpointConfig?.S3Uri;
    if (checkpointUri) {
      for (const layout of layouts) await downloadPrefix(this.deps.s3, parseS3Uri(checkpointUri), layout.checkpointDir);
    }
    return shared;
  }

  /**
   * Where the hosts meet. In namespaces: algo-1:7777, as the PyTorch container sets MASTER_ADDR and
   * MASTER_PORT, each host on a loopback address of its own (another port when another job on this
   * machine holds 7777, see rendezvousPorts.ts). Without: 127.0.0.1 and a free port per host
   * (SM_EMULATOR_HOST_ADDRESSES), since every host shares the one address.
   */
  private async rendezvous(hosts: string[], port: PortLease | undefined): Promise<Rendezvous> {
    if (port) return { masterAddr: hosts[0], masterPort: port.port };
    const hostAddresses: string[] = [];
    for (let index = 0; index < hosts.length; index++) hostAddresses.push(`127.0.0.1:${await this.deps.freePort()}`);
    return { masterAddr: '127.0.0.1', masterPort: Number(hostAddresses[0].split(':')[1]), hostAddresses };
  }

  /** MASTER_PORT for this attempt: 7777 unless another job on this machine holds it (then said in the log). */
  private async leaseRendezvousPort(): Promise<PortLease> {
    const lease = await leaseRendezvousPort(MASTER_PORT);
    if (lease.port !== MASTER_PORT) {
      this.deps.log(`training job ${this.name}: MASTER_PORT is ${lease.port}, since another job on this machine holds ${MASTER_PORT} (SageMaker gives every job ${MASTER_PORT}; scripts that read MASTER_PORT are unaffected)`);
    }
    return lease;
  }

  /**
   * Script mode: the code `sagemaker_submit_directory` names — the SageMaker Python SDK's
   * sourcedir.tar.gz in S3, or a tarball or folder in the container (a `code` channel) — extracted
   * into every host's /opt/ml/code, as the toolkit does (files.download_and_extract).
   */
  private async downloadCode(layouts: HostLayout[], image: ImageCommand): Promise<SubmittedCode | undefined> {
    const submitted = submitDirectory(this.job.request.HyperParameters);
    if (submitted === undefined) return undefined;
    for (const layout of layouts) {
      if (submitted.startsWith('s3://')) {
        await downloadTarGz(this.deps.s3, parseS3Uri(submitted), layout.codeDir);
        continue;
      }
      const relative = path.posix.relative(CONTAINER_ROOT, submitted);
      if (relative.startsWith('..') || path.posix.isAbsolute(relative)) {
        throw new JobClientError(`sagemaker_submit_directory must be an s3:// URI or a path under /opt/ml; it is ${JSON.stringify(submitted)}.`);
      }
      const source = path.join(layout.root, relative);
      const found = await stat(source).catch(() => undefined);
      if (!found) throw new JobClientError(`sagemaker_submit_directory ${submitted} does not exist in the container.`);
      if (found.isDirectory()) await cp(source, layout.codeDir, { recursive: true });
      else await tar.extract({ file: source, cwd: layout.codeDir });
    }
    const files = await readdir(layouts[0].codeDir);
    const installs = files.includes('requirements.txt') || files.includes('setup.py');
    return { files, pip: installs ? await pipAvailability(image) : undefined };
  }

  /** One sync per host, started before any host runs, knowing what the host's folder already holds from S3. */
  private async checkpointSyncs(layouts: HostLayout[]): Promise<CheckpointSync[]> {
    const uri = this.job.request.CheckpointConfig?.S3Uri;
    if (!uri) return [];
    return Promise.all(
      layouts.map(async (layout) => {
        const sync = new CheckpointSync(this.deps.s3, layout.checkpointDir, parseS3Uri(uri), (error) =>
          this.deps.log(`checkpoint upload for ${this.name}: ${error.message}`),
        );
        await sync.recordDownloaded();
        sync.start(this.deps.timing.checkpointScanMs);
        return sync;
      }),
    );
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
}

