// The training job state machine. A job's status follows its secondary status (the finer-grained one
// AWS reports in SecondaryStatusTransitions); the runtime drives a job by advancing the secondary
// status, and this module is the single place that maps secondary statuses to primary ones (whose
// legal moves jobStatus.ts keeps) and stamps the times.
import type { SecondaryStatus } from '@aws-sdk/client-sagemaker';
import { canMove, isTerminal, type JobStatus } from '../common/jobStatus';

export interface StatusTransition {
  status: SecondaryStatus;
  /** Epoch milliseconds. */
  startTime: number;
  endTime?: number;
  message: string;
}

/** The part of a training job record the state machine owns. */
export interface TrainingJobProgress {
  status: JobStatus;
  secondaryStatus: SecondaryStatus;
  transitions: StatusTransition[];
  /** Epoch milliseconds. */
  lastModifiedAt: number;
  trainingStartedAt?: number;
  trainingEndedAt?: number;
  failureReason?: string;
}

const PRIMARY_STATUS: Record<SecondaryStatus, JobStatus> = {
  Pending: 'InProgress',
  Starting: 'InProgress',
  LaunchingMLInstances: 'InProgress',
  PreparingTrainingStack: 'InProgress',
  Downloading: 'InProgress',
  DownloadingTrainingImage: 'InProgress',
  Training: 'InProgress',
  Uploading: 'InProgress',
  Updating: 'InProgress',
  // Managed spot capacity was reclaimed; the job restarts from its latest checkpoint.
  Interrupted: 'InProgress',
  Restarting: 'InProgress',
  Stopping: 'Stopping',
  Stopped: 'Stopped',
  MaxRuntimeExceeded: 'Stopped',
  MaxWaitTimeExceeded: 'Stopped',
  Completed: 'Completed',
  Failed: 'Failed',
};

const DEFAULT_MESSAGES: Partial<Record<SecondaryStatus, string>> = {
  Starting: 'Starting the training job',
  Downloading: 'Downloading input data',
  Training: 'Training image download completed. Training in progress.',
  Uploading: 'Uploading generated training model',
  Restarting: 'Restarting the training job from its latest checkpoint',
  Stopping: 'Stopping the training job',
  Stopped: 'The training job was stopped',
  MaxRuntimeExceeded: 'Training job stopped because it exceeded MaxRuntimeInSeconds',
  MaxWaitTimeExceeded: 'Training job stopped because it exceeded MaxWaitTimeInSeconds',
  Completed: 'Training job completed',
};

/** A new job: InProgress / Starting. */
export function startedTrainingJob(at: Date): TrainingJobProgress {
  const time = at.getTime();
  return {
    status: 'InProgress',
    secondaryStatus: 'Starting',
    transitions: [{ status: 'Starting', startTime: time, message: DEFAULT_MESSAGES.Starting ?? '' }],
    lastModifiedAt: time,
  };
}

/** The status a secondary status belongs to. */
export function primaryStatus(secondary: SecondaryStatus): JobStatus {
  return PRIMARY_STATUS[secondary];
}

/**
 * The job moved to `next`. Throws on a move the state machine does not allow (a runtime bug, not a
 * client error: operations check the status first and answer with AWS's error).
 */
export function advanceTrainingJob<T extends TrainingJobProgress>(
  job: T,
  next: SecondaryStatus,
  at: Date,
  details: { message?: string; failureReason?: string } = {},
): T {
  const status = PRIMARY_STATUS[next];
  if (!canMove(job.status, status)) {
    throw new Error(`training job cannot go from ${job.status}/${job.secondaryStatus} to ${status}/${next}`);
  }
  const time = at.getTime();
  const closed = job.transitions.map((transition, index) =>
    index === job.transitions.length - 1 && transition.endTime === undefined ? { ...transition, endTime: time } : transition,
  );
  const terminal = isTerminal(status);
  const message = details.message ?? details.failureReason ?? DEFAULT_MESSAGES[next] ?? '';
  return {
    ...job,
    status,
    secondaryStatus: next,
    transitions: [...closed, { status: next, startTime: time, ...(terminal && { endTime: time }), message }],
    lastModifiedAt: time,
    trainingStartedAt: job.trainingStartedAt ?? (next === 'Downloading' || next === 'Training' ? time : undefined),
    trainingEndedAt: terminal ? time : job.trainingEndedAt,
    failureReason: details.failureReason ?? job.failureReason,
  };
}
