// How a runtime finds the jobs it drives: by ARN, and those a previous emulator process left active.
export interface JobRepository<Driver> {
  /** The driver of a job by ARN, if the job exists. */
  driver(arn: string): Driver | undefined;
  /** ARNs of jobs that are InProgress or Stopping, oldest first. */
  activeJobs(): string[];
}
