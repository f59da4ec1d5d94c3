// The hosts of one job (training or processing) as local processes, as SageMaker runs a job's
// instances: each host's output goes to CloudWatch Logs, stream `<job>/algo-<n>-<epoch seconds>`,
// readable while it runs; a host that exits non-zero is reported with the FailureReason SageMaker
// gives, so that the job can stop the others and fail.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { readFile } from 'node:fs/promises';
import { hostEnvironment } from './hostEnvironment';
import { HostProcess, type HostExit } from './hostProcess';
import { ImageNotFound, type ContainerLaunch } from './images';
import { ensureLogStream, LogShipper } from './logShipper';
import type { EmulatorAccess } from './runtimeClients';

/** One process a host runs; a host runs its steps in order (the toolkit's pip install, then the script). */
export interface HostStep {
  launch: ContainerLaunch;
  /** The container contract's variables. */
  env: Record<string, string>;
  /** The job's own Environment, from its request. */
  jobEnvironment?: Record<string, string>;
  /** What runs around the process inside the container (the training toolkit), if anything. */
  supervision?: StepSupervision;
}

/** The container's own code around a step: what it logs, what it makes of the step's exit. */
export interface StepSupervision {
  /** Lines logged as the step starts. */
  started(): string[];
  observe(line: string, stream: 'stdout' | 'stderr'): void;
  /** The step exited 0: lines to log. */
  succeeded(): Promise<string[]>;
  /** The step exited non-zero, unasked: lines to log (and the failure file written, if the script wrote none). */
  failed(exit: HostExit): Promise<string[]>;
}

export interface HostSpec {
  hostName: string;
  steps: HostStep[];
  /** Where the script may say why it failed: training's /opt/ml/output/failure, processing's /opt/ml/output/message. */
  failureFile: string;
}

export interface HostGroupDeps {
  logs: CloudWatchLogsClient;
  /** The job's account and region at the emulator, for its hosts' AWS calls. */
  access: EmulatorAccess;
  log: (line: string) => void;
  logFlushMs: number;
  /** Called with each host's process group id, so a restart can end hosts a crash left behind. */
  hostStarted: (pid: number) => Promise<void>;
}

export interface HostGroupHandlers {
  /** Every line a host prints, by the host's rank. */
  onLine?: (rank: number, line: string, timestamp: number) => void;
  /** A host exited non-zero while no stop was asked: SageMaker's FailureReason for it. */
  onFailure: (reason: string) => void;
}

/** On emulator shutdown hosts get this long before SIGKILL. */
export const ABANDON_GRACE_MS = 2000;

const FAILURE_TAIL_LINES = 5;

export class HostGroup {
  /** The process each host runs now, by rank. */
  private readonly hosts: HostProcess[] = [];
  private stopGraceMs: number | undefined;

  constructor(private readonly deps: HostGroupDeps) {}

  /** SIGTERM to every host, SIGKILL after `graceMs`; hosts (and steps) not started yet never start. */
  stop(graceMs: number): void {
    if (this.stopGraceMs !== undefined) return;
    this.stopGraceMs = graceMs;
    for (const host of this.hosts) void host?.stop(graceMs);
  }

  /** Kills the host of rank `rank` at once (SIGKILL); false if it has not started. */
  kill(rank: number): boolean {
    const host = this.hosts[rank];
    host?.kill();
    return host !== undefined;
  }

  /** Runs every host's steps until each host has exited; logs go to `logGroup`. Resolves with each host's last exit. */
  async run(logGroup: string, jobName: string, specs: HostSpec[], handlers: HostGroupHandlers): Promise<HostExit[]> {
    const streamTime = Math.floor(Date.now() / 1000);
    const streams = specs.map(({ hostName }) => `${jobName}/${hostName}-${streamTime}`);
    await Promise.all(streams.map((stream) => ensureLogStream(this.deps.logs, logGroup, stream)));
    const shippers = streams.map((stream) => new LogShipper(this.deps.logs, logGroup, stream, (error) => this.deps.log(`log shipping: ${error.message}`)));
    for (const shipper of shippers) shipper.start(this.deps.logFlushMs);
    try {
      if (this.stopGraceMs !== undefined) return [];
      return await Promise.all(
        specs.map(async (spec, rank) => {
          // The last lines of the host, for a FailureReason when a script dies without writing one.
          let tail: string[] = [];
          const emit = (line: string) => {
            const now = Date.now();
            shippers[rank].append(line, now);
            tail = [...tail.slice(1 - FAILURE_TAIL_LINES), line];
            handlers.onLine?.(rank, line, now);
          };
          const exit = await this.runSteps(rank, spec, emit);
          if (exit.code !== 0 && this.stopGraceMs === undefined) handlers.onFailure(await failureReason(spec, exit, tail));
          return exit;
        }),
      );
    } finally {
      await Promise.all(shippers.map((shipper) => shipper.close()));
    }
  }

  /** A host's steps in order, until one exits non-zero or a stop is asked. */
  private async runSteps(rank: number, spec: HostSpec, emit: (line: string) => void): Promise<HostExit> {
    let exit: HostExit = { code: 0, signal: null };
    for (const step of spec.steps) {
      if (this.stopGraceMs !== undefined) break;
      const supervision = step.supervision;
      supervision?.started().forEach(emit);
      const environment = hostEnvironment({ access: this.deps.access, image: step.launch.env, job: step.jobEnvironment, contract: step.env });
      const host = new HostProcess(step.launch, environment, (line, stream) => {
        emit(line);
        supervision?.observe(line, stream);
      });
      this.hosts[rank] = host;
      if (host.pid !== undefined) void this.deps.hostStarted(host.pid);
      // A stop asked while this step was being set up reaches it now.
      if (this.stopGraceMs !== undefined) void host.stop(this.stopGraceMs);
      exit = await host.exited;
      if (this.stopGraceMs !== undefined) return exit;
      if (exit.code !== 0) {
        (await supervision?.failed(exit))?.forEach(emit);
        return exit;
      }
      (await supervision?.succeeded())?.forEach(emit);
    }
    return exit;
  }
}

/** SageMaker's FailureReason: what the host wrote to its failure file, else its exit status and last lines. */
async function failureReason(spec: HostSpec, exit: HostExit, tail: string[]): Promise<string> {
  const written = (await readFile(spec.failureFile, 'utf8').catch(() => '')).trim();
  if (written) return `AlgorithmError: ${written.slice(0, 1024)}`;
  const status = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `AlgorithmError: ${spec.hostName} ${status}${tail.length ? `: ${tail.join('\n')}` : ''}`.slice(0, 1024);
}

/** A mistake in the job's request that shows only when it runs (a LocalPath, an input mode). */
export class JobClientError extends Error {}

/** A job that cannot run: the user's mistakes (an unmapped image, a missing bucket or key) are ClientErrors, as on SageMaker. */
export function failureOf(error: unknown): string {
  const { name, message } = error as Error;
  const clientError =
    error instanceof ImageNotFound || error instanceof JobClientError || ['NoSuchBucket', 'NoSuchKey', 'AccessDenied', 'InvalidBucketName', 'InvalidManifest'].includes(name);
  return `${clientError ? 'ClientError' : 'InternalServerError'}: ${message}`;
}
