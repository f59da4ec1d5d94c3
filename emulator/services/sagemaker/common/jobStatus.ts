// The status machine SageMaker's jobs share (training, processing and transform jobs): which moves
// are legal, and the record part and moves of jobs that have no finer-grained secondary status.
import { validationError } from '../../../errors';

export type JobStatus = 'InProgress' | 'Stopping' | 'Stopped' | 'Completed' | 'Failed';

const ALLOWED_NEXT: Record<JobStatus, readonly JobStatus[]> = {
  InProgress: ['InProgress', 'Stopping', 'Stopped', 'Completed', 'Failed'],
  // A job may still finish or fail while it is being stopped.
  Stopping: ['Stopped', 'Completed', 'Failed'],
  Completed: [],
  Failed: [],
  Stopped: [],
};

export function isTerminal(status: JobStatus): boolean {
  return ALLOWED_NEXT[status].length === 0;
}

export function canMove(from: JobStatus, to: JobStatus): boolean {
  return ALLOWED_NEXT[from].includes(to);
}

/** What Stop* answers for a job that is not running, e.g. `...because the processing job is in status Completed.` */
export function assertStoppable(kind: { noun: string }, status: JobStatus): void {
  if (status !== 'InProgress') throw validationError(`The request was rejected because the ${kind.noun} is in status ${status}.`);
}

/** The part of a processing or transform job record the state machine owns. */
export interface JobProgress {
  status: JobStatus;
  /** Epoch milliseconds. */
  lastModifiedAt: number;
  /** When the job's work began (ProcessingStartTime, TransformStartTime). */
  startedAt?: number;
  endedAt?: number;
  failureReason?: string;
}

/** A new job: InProgress, not yet running anything. */
export function startedJob(at: Date): JobProgress {
  return { status: 'InProgress', lastModifiedAt: at.getTime() };
}

/**
 * The job moved to `next`; a move from InProgress to InProgress is how a runtime reports that the
 * work began. Throws on a move the state machine does not allow (a runtime bug, not a client error:
 * operations check the status first and answer with AWS's error).
 */
export function advanceJob<T extends JobProgress>(job: T, next: JobStatus, at: Date, details: { failureReason?: string } = {}): T {
  if (!canMove(job.status, next)) throw new Error(`job cannot go from ${job.status} to ${next}`);
  const time = at.getTime();
  return {
    ...job,
    status: next,
    lastModifiedAt: time,
    startedAt: job.startedAt ?? (next === 'InProgress' ? time : undefined),
    endedAt: isTerminal(next) ? time : job.endedAt,
    failureReason: details.failureReason ?? job.failureReason,
  };
}
