// Runs the training jobs the SageMaker service accepts, in the capacity the job supervisor shares
// with processing and transform jobs (the rest wait in Starting, as jobs wait for capacity); stops them on
// StopTrainingJob, interrupts them with the spot and instance-failure faults, and picks them up again
// after an emulator restart: a job with checkpoints resumes from them, any other fails with a reason
// that says why.
import type { HostSandbox } from '../hosts/hostSandbox';
import type { ImageRegistry } from '../hosts/images';
import type { JobRepository } from './jobRepository';
import type { JobSupervisor } from './jobSupervisor';
import { freePort } from '../hosts/runtimeClients';
import { type InstanceFailureOutcome, TrainingRun, type RuntimeTiming, type TrainingJobDriver } from './trainingRun';

export interface TrainingRuntimeOptions {
  supervisor: JobSupervisor;
  workDir: string;
  images: ImageRegistry;
  sandbox: HostSandbox;
  jobs: JobRepository<TrainingJobDriver>;
  timing: RuntimeTiming;
  log: (line: string) => void;
}

export const DEFAULT_TIMING: RuntimeTiming = {
  stopGraceMs: 10_000,
  checkpointScanMs: 500,
  logFlushMs: 200,
  spotRestartDelayMs: 2000,
};

export class TrainingRuntime {
  constructor(private readonly options: TrainingRuntimeOptions) {}

  /** After CreateTrainingJob is durable. */
  submit(arn: string, resuming = false): void {
    const { supervisor, jobs, ...deps } = this.options;
    supervisor.submit(arn, (context) => {
      const driver = jobs.driver(arn);
      return driver && new TrainingRun({ ...context, ...deps, freePort }, driver, resuming);
    });
  }

  /** After StopTrainingJob made the job Stopping: true if a run will move it to Stopped. */
  stop(arn: string): boolean {
    return this.options.supervisor.stop(arn);
  }

  /** The spot-reclaim fault: false if the job is not running or not a managed spot job. */
  interrupt(arn: string): boolean {
    const run = this.options.supervisor.running(arn);
    return run instanceof TrainingRun && run.interrupt();
  }

  /** The instance-failure fault (see TrainingRun.failInstance). */
  failInstance(arn: string, hostName: string, failure: { reason: string; repairMessage: string }): InstanceFailureOutcome {
    const run = this.options.supervisor.running(arn);
    return run instanceof TrainingRun ? run.failInstance(hostName, failure) : 'notRunning';
  }

  /** On start: jobs left active by the last process resume (with checkpoints), stop or fail. */
  async recover(): Promise<void> {
    for (const arn of this.options.jobs.activeJobs()) {
      const driver = this.options.jobs.driver(arn);
      if (!driver) continue;
      if (driver.secondaryStatus === 'Stopping') {
        await driver.advance('Stopped');
      } else if (driver.secondaryStatus === 'Starting' || driver.request.CheckpointConfig?.S3Uri) {
        // A job still waiting for capacity lost nothing; one with checkpoints resumes from them.
        this.submit(arn, driver.secondaryStatus !== 'Starting');
      } else {
        await driver.advance('Failed', {
          failureReason: 'InternalServerError: the emulator restarted while the job ran and the job has no CheckpointConfig to resume from',
        });
      }
    }
  }
}
