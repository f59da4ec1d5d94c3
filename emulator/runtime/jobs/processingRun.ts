// One processing job, run as SageMaker Processing runs it: InProgress (ProcessingStartTime) →
// Completed, Failed or Stopped. Inputs are downloaded from S3 to their LocalPath before the
// container starts; each instance is a local process with the contract of processingLayout.ts and
// its output in CloudWatch Logs; outputs go from their LocalPath to S3 at the end of a completed
// job (S3UploadMode EndOfJob) or as their files are written (Continuous).
import type { ProcessingJobStatus } from '@aws-sdk/client-sagemaker';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { CheckpointSync } from './checkpointSync';
import { afterDelay } from './limits';
import { ABANDON_GRACE_MS, failureOf, HostGroup, JobClientError } from '../hosts/hostGroup';
import type { HostSandbox, JobNetwork } from '../hosts/hostSandbox';
import { containerLaunch, type ImageCommand, type ImageRegistry } from '../hosts/images';
import type { RunContext, SupervisedRun } from './jobSupervisor';
import { dataPath, mapContainerPaths, prepareProcessingHost, processingEnvironment, processingLayout, type ProcessingLayout, type ProcessingRequest } from './processingLayout';
import { downloadManifest, downloadPrefix, parseS3Uri } from '../hosts/s3Transfer';
import { hostNames } from './trainingLayout';
import type { RuntimeTiming } from './trainingRun';

export const PROCESSING_LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

/** Processing jobs have no checkpoints: one an emulator restart interrupted fails with this reason. */
export const PROCESSING_RESTARTED_REASON =
  'InternalServerError: The emulator restarted while the processing job ran. Processing jobs have no checkpoints to resume from: run the job again under a new name.';

/** SageMaker's limit when StoppingCondition is omitted: one day. */
const DEFAULT_MAX_RUNTIME_SECONDS = 86_400;
/** ExitMessage holds the first 1 KB of the instances' /opt/ml/output/message files. */
const EXIT_MESSAGE_BYTES = 1024;

/** The job record as the runtime sees it; implemented by the SageMaker service over its store. */
export interface ProcessingJobDriver {
  readonly request: ProcessingRequest;
  readonly arn: string;
  readonly region: string;
  /** As it was when the driver was made. */
  readonly status: ProcessingJobStatus;
  /** Whether the job had begun to run (it has a ProcessingStartTime) when the driver was made. */
  readonly started: boolean;
  /** `InProgress` says the job began to run; a job no longer InProgress stays as it is. */
  advance(status: ProcessingJobStatus, details?: { failureReason?: string; exitMessage?: string }): Promise<void>;
}

export interface ProcessingRunDeps extends RunContext {
  images: ImageRegistry;
  /** How instances are launched: in their own mount namespace, or as plain processes. */
  sandbox: HostSandbox;
  /** Where job folders are made; a job's folder is removed when it ends. */
  workDir: string;
  timing: RuntimeTiming;
  log: (line: string) => void;
}

type Ending =
  | { kind: 'completed' }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' }
  | { kind: 'maxRuntime' }
  /** The emulator is shutting down: the next start fails the job (it cannot resume). */
  | { kind: 'abandoned' };

interface OutputUpload {
  sync: CheckpointSync;
  continuous: boolean;
}

export class ProcessingRun implements SupervisedRun {
  /** Set by stop(), abandon(), the runtime limit or a failing instance; the first one wins. */
  private requested: Ending | undefined;
  private readonly hosts: HostGroup;

  constructor(
    private readonly deps: ProcessingRunDeps,
    private readonly job: ProcessingJobDriver,
  ) {
    this.hosts = new HostGroup({ logs: deps.logs, access: deps.access, log: deps.log, logFlushMs: deps.timing.logFlushMs, hostStarted: deps.hostStarted });
  }

  private get name(): string {
    return this.job.request.ProcessingJobName ?? '';
  }

  /** StopProcessingJob: SIGTERM to every instance, SIGKILL after the grace period, then Stopped. */
  stop(): void {
    this.end({ kind: 'stopped' });
  }

  abandon(): void {
    this.end({ kind: 'abandoned' }, ABANDON_GRACE_MS);
  }

  private end(ending: Ending, graceMs = this.deps.timing.stopGraceMs): void {
    if (this.requested) return;
    this.requested = ending;
    this.hosts.stop(graceMs);
  }

  async run(): Promise<void> {
    const jobDir = path.join(this.deps.workDir, `${this.name}-${Date.now().toString(36)}`);
    try {
      await this.job.advance('InProgress');
      const { request } = this.job;
      const hosts = hostNames(request.ProcessingResources?.ClusterConfig?.InstanceCount ?? 1);
      const layouts = hosts.map((host) => processingLayout(jobDir, host));
      const image = this.deps.images.resolve(request.AppSpecification?.ImageUri ?? '');
      for (const layout of layouts) await prepareProcessingHost(layout, request, this.job.arn, hosts);
      const uploads = this.outputUploads(layouts);
      await this.downloadInputs(layouts);
      const continuous = uploads.filter((upload) => upload.continuous).map(({ sync }) => sync);
      for (const sync of continuous) sync.start(this.deps.timing.checkpointScanMs);
      let ending: Ending;
      try {
        ending = this.requested ?? (await this.runHosts(jobDir, layouts, image));
      } finally {
        // Continuous outputs are sent whatever the ending; EndOfJob ones only by a completed job.
        await Promise.all(continuous.map((sync) => sync.finish()));
      }
      if (ending.kind === 'abandoned') return;
      if (ending.kind === 'completed') await Promise.all(uploads.filter((upload) => !upload.continuous).map(({ sync }) => sync.finish()));
      const exitMessage = await this.exitMessage(layouts);
      if (ending.kind === 'failed') await this.job.advance('Failed', { failureReason: ending.reason, exitMessage });
      else await this.job.advance(ending.kind === 'completed' ? 'Completed' : 'Stopped', { exitMessage });
    } catch (error) {
      this.deps.log(`processing job ${this.name}: ${(error as Error).stack ?? error}`);
      await this.job
        .advance('Failed', { failureReason: failureOf(error) })
        .catch((advanceError: Error) => this.deps.log(`processing job ${this.name}: ${advanceError.message}`));
    } finally {
      await rm(jobDir, { recursive: true, force: true });
    }
  }

  private async runHosts(jobDir: string, layouts: ProcessingLayout[], image: ImageCommand): Promise<Ending> {
    const { request } = this.job;
    const maxRuntimeMs = (request.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS) * 1000;
    const runtimeLimit = afterDelay(maxRuntimeMs, () => this.end({ kind: 'maxRuntime' }));
    const app = request.AppSpecification;
    const { sandbox } = this.deps;
    const hosts = layouts.map((layout) => layout.hostName);
    let network: JobNetwork | undefined;
    try {
      await sandbox.ready();
      network = sandbox.enabled ? await sandbox.jobNetwork(`${this.deps.workDir}\n${this.job.arn}`, hosts, path.join(jobDir, 'hosts')) : undefined;
      const specs = layouts.map((layout) => {
        // In its namespace an instance's /opt/ml paths are literal; without one they are rewritten to its folder.
        const mapped = (values: string[] | undefined) => (network ? values : values?.map((value) => mapContainerPaths(layout, value)));
        const launch = containerLaunch(image, { ContainerEntrypoint: mapped(app?.ContainerEntrypoint), ContainerArguments: mapped(app?.ContainerArguments) });
        return {
          hostName: layout.hostName,
          steps: [
            {
              launch: { ...launch, sandbox: network && sandbox.spec(layout.root, { hostsFile: network.hostsFile }) },
              env: processingEnvironment(request, layout, this.job.region, network !== undefined),
            },
          ],
          failureFile: layout.messageFile,
        };
      });
      await this.hosts.run(PROCESSING_LOG_GROUP, this.name, specs, { onFailure: (reason) => this.end({ kind: 'failed', reason }) });
    } finally {
      runtimeLimit.clear();
      network?.release();
    }
    return this.requested ?? { kind: 'completed' };
  }

  /** S3 inputs in File mode, into every instance: all of the data (FullyReplicated) or a share of it (ShardedByS3Key). */
  private async downloadInputs(layouts: ProcessingLayout[]): Promise<void> {
    for (const input of this.job.request.ProcessingInputs ?? []) {
      if (input.AppManaged) continue; // the container fetches it itself
      const source = input.S3Input;
      if (!source) throw new JobClientError(`The input ${input.InputName} is a DatasetDefinition; the emulator runs S3 inputs only.`);
      if (source.S3InputMode === 'Pipe') throw new JobClientError(`The input ${input.InputName} has S3InputMode Pipe; the emulator runs File mode only.`);
      const location = parseS3Uri(source.S3Uri ?? '');
      for (const [index, layout] of layouts.entries()) {
        if (this.requested) return;
        const dir = dataPath(layout, source.LocalPath, `input ${input.InputName}`);
        const shard = source.S3DataDistributionType === 'ShardedByS3Key' ? { index, count: layouts.length } : undefined;
        if (source.S3DataType === 'ManifestFile') await downloadManifest(this.deps.s3, location, dir, shard);
        else await downloadPrefix(this.deps.s3, location, dir, shard);
      }
    }
  }

  /**
   * Per instance and S3 output, what uploads its LocalPath: the checkpoint sync sends files once
   * they settle, which is what Continuous needs, and everything when finished, which is EndOfJob.
   */
  private outputUploads(layouts: ProcessingLayout[]): OutputUpload[] {
    const uploads: OutputUpload[] = [];
    for (const output of this.job.request.ProcessingOutputConfig?.Outputs ?? []) {
      if (output.AppManaged) continue;
      if (!output.S3Output) throw new JobClientError(`The output ${output.OutputName} is a FeatureStoreOutput; the emulator uploads S3 outputs only.`);
      const location = parseS3Uri(output.S3Output.S3Uri ?? '');
      const continuous = output.S3Output.S3UploadMode === 'Continuous';
      for (const layout of layouts) {
        const dir = dataPath(layout, output.S3Output.LocalPath, `output ${output.OutputName}`);
        const sync = new CheckpointSync(this.deps.s3, dir, location, (error) => this.deps.log(`output upload for ${this.name}: ${error.message}`));
        uploads.push({ sync, continuous });
      }
    }
    return uploads;
  }

  /** What the instances wrote to /opt/ml/output/message, joined and cut to 1 KB. */
  private async exitMessage(layouts: ProcessingLayout[]): Promise<string | undefined> {
    const messages = await Promise.all(layouts.map((layout) => readFile(layout.messageFile, 'utf8').catch(() => '')));
    const joined = messages.join('');
    return joined === '' ? undefined : Buffer.from(joined).subarray(0, EXIT_MESSAGE_BYTES).toString('utf8');
  }
}
