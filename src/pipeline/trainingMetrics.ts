// A training job's metrics as series, one per metric and host: SageMaker publishes each host's
// samples of the job's MetricDefinitions to CloudWatch (namespace /aws/sagemaker/TrainingJobs, metric
// = the definition's name, dimension Host=<job>/algo-<n>). The job's description says which metrics
// and hosts there are, so one GetMetricData call (paged) reads them all — no ListMetrics over every
// job in the account. SageMaker publishes these at CloudWatch's standard resolution: a point is the
// average of a minute's samples (the SageMaker Python SDK's TrainingJobAnalytics reads them the same
// way). Read again from the last point while the job runs: that minute may have gained samples.
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { loadSdk } from '../aws/clients';
import type { TrainingJobDescription } from './trainingJobs';

export const TRAINING_METRICS_NAMESPACE = '/aws/sagemaker/TrainingJobs';
/** GetMetricData's limit of queries per call. */
const MAX_QUERIES = 500;
const MINUTE = 60_000;

export interface MetricSeries {
  metric: string;
  /** `algo-1`, … */
  host: string;
  /** Epoch milliseconds, ascending, and the values at them. */
  timestamps: number[];
  values: number[];
}

/** The hosts of a job: algo-1 … algo-N over its instances (all instance groups of a heterogeneous cluster). */
export function hostsOf(description: TrainingJobDescription): string[] {
  const resources = description.ResourceConfig;
  const count = resources?.InstanceGroups?.length
    ? resources.InstanceGroups.reduce((sum, group) => sum + (group.InstanceCount ?? 0), 0)
    : (resources?.InstanceCount ?? 1);
  return Array.from({ length: Math.max(count, 1) }, (_, index) => `algo-${index + 1}`);
}

export function metricNamesOf(description: TrainingJobDescription): string[] {
  return [...new Set((description.AlgorithmSpecification?.MetricDefinitions ?? []).flatMap((definition) => (definition.Name ? [definition.Name] : [])))];
}

/**
 * The series of every metric of the job on every host, with points from `since` (epoch ms; default:
 * the job's creation) to its end (or now). Series without points are left out.
 */
export async function readTrainingMetrics(cloudWatch: CloudWatchClient, description: TrainingJobDescription, since?: number): Promise<MetricSeries[]> {
  const { GetMetricDataCommand } = await loadSdk();
  const job = description.TrainingJobName ?? '';
  const wanted = metricNamesOf(description).flatMap((metric) => hostsOf(description).map((host) => ({ metric, host })));
  if (wanted.length === 0) return [];
  // Whole minutes: a standard-resolution point is stamped with the start of its minute.
  const start = new Date(Math.floor((since ?? (description.CreationTime ?? new Date(0)).getTime()) / MINUTE) * MINUTE);
  const end = new Date((Math.floor(Math.max((description.TrainingEndTime ?? new Date()).getTime(), Date.now()) / MINUTE) + 1) * MINUTE);
  const series = new Map<string, MetricSeries>();
  for (let first = 0; first < wanted.length; first += MAX_QUERIES) {
    const batch = wanted.slice(first, first + MAX_QUERIES);
    const queries: MetricDataQuery[] = batch.map(({ metric, host }, index) => ({
      Id: `m${first + index}`,
      MetricStat: {
        Metric: { Namespace: TRAINING_METRICS_NAMESPACE, MetricName: metric, Dimensions: [{ Name: 'Host', Value: `${job}/${host}` }] },
        Period: 60,
        Stat: 'Average',
      },
    }));
    let token: string | undefined;
    do {
      const page = await cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampAscending', NextToken: token }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice(1)) - first;
        const { metric, host } = batch[index] ?? {};
        if (metric === undefined || host === undefined) continue;
        const id = `${metric}\u0000${host}`;
        const entry = series.get(id) ?? { metric, host, timestamps: [], values: [] };
        (result.Timestamps ?? []).forEach((timestamp, at) => {
          entry.timestamps.push(timestamp.getTime());
          entry.values.push(result.Values?.[at] ?? Number.NaN);
        });
        series.set(id, entry);
      }
      token = page.NextToken;
    } while (token);
  }
  return [...series.values()].filter((entry) => entry.timestamps.length > 0);
}

/**
 * Adds newly read points to the series read before: a point at a timestamp already there replaces it
 * (its period may have gained samples since), later ones are appended. Returns the merged series.
 */
export function mergeSeries(known: readonly MetricSeries[], fresh: readonly MetricSeries[]): MetricSeries[] {
  const merged = new Map(known.map((entry) => [`${entry.metric}\u0000${entry.host}`, { ...entry, timestamps: [...entry.timestamps], values: [...entry.values] }]));
  for (const entry of fresh) {
    const id = `${entry.metric}\u0000${entry.host}`;
    const target = merged.get(id);
    if (!target) {
      merged.set(id, { ...entry, timestamps: [...entry.timestamps], values: [...entry.values] });
      continue;
    }
    entry.timestamps.forEach((timestamp, index) => {
      // Points arrive in order, so any overlap is at the end.
      let at = target.timestamps.length - 1;
      while (at >= 0 && target.timestamps[at] > timestamp) at--;
      if (at >= 0 && target.timestamps[at] === timestamp) target.values[at] = entry.values[index];
      else target.timestamps.splice(at + 1, 0, timestamp), target.values.splice(at + 1, 0, entry.values[index]);
    });
  }
  return [...merged.values()];
}

/** The newest point of any series (epoch ms), where the next read starts. */
export function lastTimestamp(series: readonly MetricSeries[]): number | undefined {
  let last: number | undefined;
  for (const entry of series) {
    const newest = entry.timestamps.at(-1);
    if (newest !== undefined && (last === undefined || newest > last)) last = newest;
  }
  return last;
}
