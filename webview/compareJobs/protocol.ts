// The one protocol between the Compare Training Jobs panel and the extension host, imported by both
// sides. Plain data only: times as epoch milliseconds, series as columns (see ../trainingJob/protocol).
import { isMetricSeriesView, type MetricSeriesView } from '../trainingJob/protocol';

export interface ComparedJob {
  name: string;
  status: string;
  /** When training started (or the job was created): each job's curves start at 0 from here. */
  startedAt: number;
  hosts: number;
  series: MetricSeriesView[];
}

/** Host → panel: every job's series so far; `live` while one of them runs. */
export type HostMessage = { type: 'jobs'; jobs: ComparedJob[]; live: boolean; failures: string[] };

/** Panel → host. */
export type PanelMessage = { type: 'ready' } | { type: 'refresh' };

export function isPanelMessage(value: unknown): value is PanelMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'refresh';
}

export function isHostMessage(value: unknown): value is HostMessage {
  const message = value as { type?: unknown; jobs?: unknown; failures?: unknown } | null;
  return (
    message?.type === 'jobs' &&
    Array.isArray(message.jobs) &&
    message.jobs.every((job: Partial<ComparedJob> | null) => Array.isArray(job?.series) && job.series.every(isMetricSeriesView)) &&
    Array.isArray(message.failures)
  );
}
