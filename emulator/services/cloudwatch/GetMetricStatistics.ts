// CloudWatch GetMetricStatistics: Gets statistics for the specified metric.
import type { Datapoint, GetMetricStatisticsCommandInput, GetMetricStatisticsCommandOutput, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { OperationOutput, RequestContext } from '../../operations';
import { invalidParameterCombination, invalidParameterValue } from './errors';
import { metricBuckets } from './metrics';
import { type Bucket, parseStatistic, periodCount, statisticOf } from './statistics';
import { checkPeriod, checkTimeRange } from './timeRange';

const MAX_DATAPOINTS = 1440;

/** One metric, exactly as named (namespace, name, all its dimensions), per period; oldest first. */
export async function getMetricStatistics(
  input: GetMetricStatisticsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<GetMetricStatisticsCommandOutput>> {
  const { Statistics: statistics, ExtendedStatistics: extended } = input;
  if (!statistics && !extended) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics.');
  if (statistics && extended) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  const percentiles = (extended ?? []).map((name) => {
    const statistic = parseStatistic(name);
    if (statistic?.kind !== 'percentile') throw invalidParameterValue(`The value ${name} for parameter ExtendedStatistics is not supported.`);
    return { name, statistic };
  });
  const period = input.Period ?? 60;
  checkPeriod(period, () => invalidParameterValue('The parameter Period must be a multiple of 60.'));
  const start = (input.StartTime ?? new Date(0)).getTime();
  const end = (input.EndTime ?? new Date(0)).getTime();
  checkTimeRange(start, end, () => invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.'));
  const requested = periodCount(start, end, period);
  if (requested > MAX_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_DATAPOINTS.toLocaleString('en-US')}. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  }

  const name = input.MetricName ?? '';
  const metric = { namespace: input.Namespace ?? '', name, dimensions: input.Dimensions ?? [] };
  const buckets = metricBuckets(context, metric, { start, end, period, unit: input.Unit }, context.now().getTime());
  return { Label: name, Datapoints: buckets.map((bucket) => datapoint(bucket, statistics ?? [], percentiles)) };
}

function datapoint(bucket: Bucket, statistics: string[], percentiles: { name: string; statistic: ReturnType<typeof parseStatistic> & object }[]): Datapoint {
  const result: Datapoint = { Timestamp: new Date(bucket.timestamp), Unit: bucket.unit as StandardUnit };
  for (const name of statistics) {
    const statistic = parseStatistic(name);
    if (statistic && statistic.kind !== 'percentile') result[statistic.kind] = statisticOf(bucket, statistic);
  }
  const values = percentiles.flatMap(({ name, statistic }) => {
    const value = statisticOf(bucket, statistic);
    return value === undefined ? [] : [[name, value] as const];
  });
  if (values.length > 0) result.ExtendedStatistics = Object.fromEntries(values);
  return result;
}
