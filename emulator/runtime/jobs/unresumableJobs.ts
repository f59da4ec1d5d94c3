// The runtime of a job kind that cannot resume (processing, batch transform): jobs run in the
// capacity the job supervisor shares, stop on Stop*Job, and after an emulator restart a job still
// waiting runs, a Stopping one is Stopped, and one that had begun fails with the kind's reason.
import type { JobRepository } from './jobRepository';
import type { JobSupervisor, RunContext, SupervisedRun } from './jobSupervisor';

export interface UnresumableJobDriver {
  /** As it was when the driver was made. */
  readonly status: string;
  /** Whether the job had begun to run when the driver was made. */
  readonly started: boolean;
  advance(status: 'Stopped' | 'Failed', details?: { failureReason?: string }): Promise<void>;
}

export interface UnresumableJobsOptions<Driver extends UnresumableJobDriver> {
  supervisor: JobSupervisor;
  jobs: JobRepository<Driver>;
  /** The FailureReason of a job an emulator restart interrupted. */
  restartedReason: string;
  /** The job's run, once capacity is free. */
  run(context: RunContext, driver: Driver): SupervisedRun;
}

export class UnresumableJobs<Driver extends UnresumableJobDriver> {
  constructor(private readonly options: UnresumableJobsOptions<Driver>) {}

  /** After Create*Job is durable. */
  submit(arn: string): void {
    const { supervisor, jobs, run } = this.options;
    supervisor.submit(arn, (context) => {
      const driver = jobs.driver(arn);
      return driver && run(context, driver);
    });
  }

  /** After Stop*Job made the job Stopping: true if a run will move it to Stopped. */
  stop(arn: string): boolean {
    return this.options.supervisor.stop(arn);
  }

  /** On start: the jobs the last emulator process left active run, stop or fail. */
  async recover(): Promise<void> {
    for (const arn of this.options.jobs.activeJobs()) {
      const driver = this.options.jobs.driver(arn);
      if (!driver) continue;
      if (driver.status === 'Stopping') await driver.advance('Stopped');
      else if (driver.started) await driver.advance('Failed', { failureReason: this.options.restartedReason });
      else this.submit(arn);
    }
  }
}
