// Runs the jobs of every kind (training, processing, transform) on this one machine: at most
// `maxConcurrentJobs` at once whatever their kind, the rest waiting in the order they came, as jobs
// wait for capacity. Each job's host process groups are recorded, so that the next start ends
// hosts a `kill -9` of the emulator left running before any job runs again.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProcessGroupRecords } from '../hosts/processGroups';
import { clientsFor, type CredentialsFor, type EmulatorAccess } from '../hosts/runtimeClients';

/** A job's run, as the supervisor drives it. */
export interface SupervisedRun {
  /** Runs the job to its end; a failure becomes the job's FailureReason, never a rejection. */
  run(): Promise<void>;
  /** Stop*Job: the run ends its hosts and moves the job on to Stopped. */
  stop(): void;
  /** Emulator shutdown: hosts end, the job keeps its status for the next start to deal with. */
  abandon(): void;
}

/** What a job gets once it may run: clients acting as its account and region, and a record of its hosts. */
export interface RunContext {
  s3: S3Client;
  logs: CloudWatchLogsClient;
  /** The same account and region, for the job's own processes (their AWS_ENDPOINT_URL and credentials). */
  access: EmulatorAccess;
  hostStarted: (pid: number) => Promise<void>;
}

/** Makes a job's run once capacity is free; undefined if the job is gone. */
export type Launch = (context: RunContext) => SupervisedRun | undefined;

export interface JobSupervisorOptions {
  maxConcurrentJobs: number;
  processGroups: ProcessGroupRecords;
  /** What jobs sign their S3 and Logs calls with, per account. */
  credentials: CredentialsFor;
  log: (line: string) => void;
}

export class JobSupervisor {
  private readonly runs = new Map<string, { run: SupervisedRun; done: Promise<void> }>();
  private readonly queue: { arn: string; launch: Launch }[] = [];
  /** The emulator's own URL, once it listens: jobs read and write S3 and Logs through it. */
  private url: string | undefined;
  private closed = false;

  constructor(private readonly options: JobSupervisorOptions) {}

  /** Ends the hosts a crash left behind, then runs jobs. */
  async start(url: string): Promise<void> {
    await this.options.processGroups.killLeftovers();
    this.url = url;
    this.pump();
  }

  /** A job to run once capacity is free (once only: a job already waiting or running is not added again). */
  submit(arn: string, launch: Launch): void {
    if (this.runs.has(arn) || this.queue.some((entry) => entry.arn === arn)) return;
    this.queue.push({ arn, launch });
    this.pump();
  }

  /** The run of a running job. */
  running(arn: string): SupervisedRun | undefined {
    return this.runs.get(arn)?.run;
  }

  /**
   * Stop*Job, once Stopping is durable: true if the job runs, and its run will move it to Stopped;
   * false if it does not (a waiting job leaves the queue), and the caller stops it.
   */
  stop(arn: string): boolean {
    const running = this.runs.get(arn);
    if (running) {
      running.run.stop();
      return true;
    }
    const queued = this.queue.findIndex((entry) => entry.arn === arn);
    if (queued >= 0) this.queue.splice(queued, 1);
    return false;
  }

  /** On emulator shutdown: hosts end, jobs keep their status for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const running = [...this.runs.values()];
    for (const { run } of running) run.abandon();
    await Promise.all(running.map(({ done }) => done));
  }

  private pump(): void {
    while (this.url && !this.closed && this.runs.size < this.options.maxConcurrentJobs && this.queue.length > 0) {
      const { arn, launch } = this.queue.shift()!;
      const { s3, logs, access } = clientsFor(this.url, arn, this.options.credentials);
      const run = launch({ s3, logs, access, hostStarted: (pid) => this.options.processGroups.remember(arn, pid) });
      if (!run) {
        s3.destroy();
        logs.destroy();
        continue;
      }
      const done = run
        .run()
        .catch((error: Error) => this.options.log(`job ${arn}: ${error.stack ?? error.message}`))
        .finally(async () => {
          this.runs.delete(arn);
          s3.destroy();
          logs.destroy();
          await this.options.processGroups.forget(arn);
          this.pump();
        });
      this.runs.set(arn, { run, done });
    }
  }
}
