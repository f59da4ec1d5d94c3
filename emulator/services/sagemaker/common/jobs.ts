// What processing and transform jobs share beyond the status machine: their record, how one is
// created and stopped, and their listing. (Training jobs have secondary statuses: trainingJobs/state.ts.)
import type { Tag } from '@aws-sdk/client-sagemaker';
import type { RequestContext } from '../../../operations';
import { advanceJob, assertStoppable, type JobProgress, startedJob } from './jobStatus';
import { defineListing, type Listing } from './listing';
import { claimName, createResource, putResource, requireResource, type ResourceKind, type ResourceRecord } from './resources';

export interface JobRecord<Request> extends ResourceRecord, JobProgress {
  /** The Create request; its Tags live with the other tags. */
  request: Request;
}

/** Commits a new InProgress job named `name` (with `extra` members of its record) and returns its ARN. */
export async function createJob<Request, Record extends JobRecord<Request>>(
  context: RequestContext,
  kind: ResourceKind<Record>,
  name: string,
  request: Request,
  tags: Tag[] | undefined,
  extra?: Omit<Record, keyof JobRecord<Request>>,
): Promise<string> {
  const now = context.now();
  const job = { ...extra, ...startedJob(now), request, arn: claimName(context, kind, name), createdAt: now.getTime() } as Record;
  await context.store.commit(createResource(context, kind, job, tags));
  return job.arn;
}

/**
 * Stop*Job: the job goes Stopping; the runtime moves a running job on to Stopped once its instances
 * have exited, and a job it does not run (still waiting for capacity, or left by a crash) stops at once.
 */
export async function stopJob<Request>(
  context: RequestContext,
  kind: ResourceKind<JobRecord<Request>>,
  name: string | undefined,
  runtime: { stop(arn: string): boolean },
): Promise<void> {
  const job = requireResource(context, kind, name);
  assertStoppable(kind, job.status);
  const now = context.now();
  await context.store.commit([putResource(context, kind, advanceJob(job, 'Stopping', now))]);
  if (!runtime.stop(job.arn)) {
    const stopping = requireResource(context, kind, job.arn);
    await context.store.commit([putResource(context, kind, advanceJob(stopping, 'Stopped', now))]);
  }
}

/** The listing of a List*Jobs operation; `defaultSortOrder` is the one AWS documents for it. */
export function defineJobListing<Request>(
  kind: ResourceKind<JobRecord<Request>>,
  nameOf: (job: JobRecord<Request>) => string,
  defaultSortOrder: 'Ascending' | 'Descending',
): Listing<JobRecord<Request>> {
  return defineListing(
    kind.arnType,
    kind,
    (job) => ({ name: nameOf(job), createdAt: job.createdAt, lastModifiedAt: job.lastModifiedAt, status: job.status }),
    defaultSortOrder,
  );
}
