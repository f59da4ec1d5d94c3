// Runs the training jobs the SageMaker service accepts: a bounded number at once (the rest wait in
// Starting, as jobs wait for capacity), stopped on StopTrainingJob, interrupted by the spot fault,
// and picked up again after an emulator restart: a job with checkpoints resumes from them, any
// other fails with a reason that says why.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import type { ImageRegistry } from './images';
import { TrainingRun, type RuntimeTiming, type TrainingJobDriver } from './trainingRun';

export interface TrainingJobRepository {
  /** The driver of a job by ARN, if the job exists. */
  driver(arn: string): TrainingJobDriver | undefined;
  /** ARNs of jobs that are InProgress or Stopping, oldest first. */
  activeJobs(): string[];
}

export interface TrainingRuntimeOptions {
  workDir: string;
  images: ImageRegistry;
  jobs: TrainingJobRepository;
  maxConcurrentJobs: number;
  timing: RuntimeTiming;
  /** What jobs sign their S3 and Logs calls with when the emulator checks signatures. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  log: (line: string) => void;
}

export const DEFAULT_TIMING: RuntimeTiming = {
  stopGraceMs: 10_000,
  checkpointScanMs: 500,
  logFlushMs: 200,
  spotRestartDelayMs: 2000,
};

export class TrainingRuntime {
  private readonly running = new Map<string, { run: TrainingRun; done: Promise<void> }>();
  /** Jobs waiting for capacity; `resuming` for those an emulator restart interrupted. */
  private readonly queue: { arn: string; resuming: boolean }[] = [];
  private closed = false;
  /** The emulator's own URL, once it listens: jobs read and write S3 and Logs through it. */
  private url: string | undefined;

  constructor(private readonly options: TrainingRuntimeOptions) {}

  /** Starts running jobs: first those the last process left active, then new ones. */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.recover();
  }

  /** After CreateTrainingJob is durable. */
  submit(arn: string): void {
    this.queue.push({ arn, resuming: false });
    this.pump();
  }

  /** After StopTrainingJob is durable; a queued job stops without running. */
  stop(arn: string): boolean {
    const running = this.running.get(arn);
    if (running) {
      running.run.stop();
      return true;
    }
    const queued = this.queue.findIndex((entry) => entry.arn === arn);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      void this.options.jobs.driver(arn)?.advance('Stopped');
      return true;
    }
    return false;
  }

  /** The spot-reclaim fault: false if the job is not running or not a managed spot job. */
  interrupt(arn: string): boolean {
    return this.running.get(arn)?.run.interrupt() ?? false;
  }

  /** Jobs left active by the last process resume (with checkpoints) or fail. */
  private async recover(): Promise<void> {
    await this.killLeftoverHosts();
    for (const arn of this.options.jobs.activeJobs()) {
      const driver = this.options.jobs.driver(arn);
      if (!driver) continue;
      // A job still waiting for capacity lost nothing; one with checkpoints resumes from them.
      if (driver.secondaryStatus === 'Starting' || driver.request.CheckpointConfig?.S3Uri) {
        this.queue.push({ arn, resuming: driver.secondaryStatus !== 'Starting' });
      } else {
        await driver.advance('Failed', {
          failureReason: 'InternalServerError: the emulator restarted while the job ran and the job has no CheckpointConfig to resume from',
        });
      }
    }
    this.pump();
  }

  /** On emulator shutdown: hosts are stopped but jobs keep their status, to resume on restart. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const running = [...this.running.values()];
    for (const { run } of running) run.abandon();
    await Promise.all(running.map(({ done }) => done));
  }

  private pump(): void {
    while (this.url && !this.closed && this.running.size < this.options.maxConcurrentJobs && this.queue.length > 0) {
      const { arn, resuming } = this.queue.shift()!;
      const driver = this.options.jobs.driver(arn);
      if (!driver) continue;
      const run = new TrainingRun(
        {
          ...clientsFor(this.url, arn, driver.region, this.options.credentials),
          images: this.options.images,
          workDir: this.options.workDir,
          freePort,
          log: this.options.log,
          timing: this.options.timing,
          hostStarted: (pid) => this.rememberHost(arn, pid),
        },
        driver,
      );
      const done = run.run(resuming).finally(async () => {
        this.running.delete(arn);
        await this.forgetHosts(arn);
        this.pump();
      });
      this.running.set(arn, { run, done });
    }
  }

  // Host processes live in their own process groups, so a `kill -9` of the emulator leaves them
  // running; their group ids are kept on disk and ended on the next start.
  private hostsFile(arn: string): string {
    return path.join(this.options.workDir, 'hosts', `${Buffer.from(arn).toString('base64url')}.json`);
  }

  private readonly hostGroups = new Map<string, number[]>();
  /** Writes of the hosts files, one at a time so that hosts starting together all get recorded. */
  private hostsWrites: Promise<void> = Promise.resolve();

  private rememberHost(arn: string, pid: number): Promise<void> {
    const pids = [...(this.hostGroups.get(arn) ?? []), pid];
    this.hostGroups.set(arn, pids);
    const file = this.hostsFile(arn);
    this.hostsWrites = this.hostsWrites
      .then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify(pids));
      })
      .catch((error: Error) => this.options.log(`cannot record host processes: ${error.message}`));
    return this.hostsWrites;
  }

  private forgetHosts(arn: string): Promise<void> {
    this.hostGroups.delete(arn);
    this.hostsWrites = this.hostsWrites.then(() => rm(this.hostsFile(arn), { force: true }));
    return this.hostsWrites;
  }

  private async killLeftoverHosts(): Promise<void> {
    const dir = path.join(this.options.workDir, 'hosts');
    for (const file of await readdir(dir).catch(() => [])) {
      const pids = JSON.parse(await readFile(path.join(dir, file), 'utf8').catch(() => '[]')) as number[];
      for (const pid of pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await rm(path.join(dir, file), { force: true });
    }
  }
}

/** SDK clients acting as the job's account and region: the access key id names the account. */
function clientsFor(
  url: string,
  arn: string,
  region: string,
  credentials = { accessKeyId: arn.split(':')[4], secretAccessKey: 'emulator' },
): { s3: S3Client; logs: CloudWatchLogsClient } {
  const config = { endpoint: url, region, credentials, maxAttempts: 3 };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), logs: new CloudWatchLogsClient(config) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
