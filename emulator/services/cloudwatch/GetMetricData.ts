// CloudWatch GetMetricData: You can use the GetMetricData API to retrieve CloudWatch metric values.
import type {
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricDataQuery,
  MetricDataResult,
  MetricStat,
  StatusCode,
} from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { decodePageToken, encodePageToken } from '../../pageTokens';
import { invalidNextToken, invalidParameterValue, invalidValue, validationError } from './errors';
import { metricBuckets } from './metrics';
import { isUnsupportedStatistic, parseStatistic, type Statistic, statisticOf } from './statistics';
import { checkPeriod, checkTimeRange } from './timeRange';

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Series {
  query: MetricDataQuery;
  timestamps: number[];
  values: number[];
}

/**
 * MetricStat queries, each a series of one statistic per period (periods without data left out), newest
 * first unless ScanBy says otherwise. Pages hold at most MaxDatapoints values across the queries; a
 * result whose series goes on in the next page has StatusCode PartialData. Metric math (Expression)
 * is not supported.
 */
export async function getMetricData(input: GetMetricDataCommandInput, context: RequestContext): Promise<OperationOutput<GetMetricDataCommandOutput>> {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length > MAX_QUERIES) throw invalidParameterValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const start = (input.StartTime ?? new Date(0)).getTime();
  const end = (input.EndTime ?? new Date(0)).getTime();
  checkTimeRange(start, end, () => validationError('The parameter EndTime must be greater than StartTime.'));
  const statistics = queries.map((query, index) => checkQuery(query, index + 1));
  if (new Set(queries.map((query) => query.Id)).size < queries.length) {
    throw invalidParameterValue('The values for parameter Id in MetricDataQueries are not unique.');
  }
  const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) throw invalidValue(maxDatapoints, 'MaxDatapoints');

  const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  const series = queries.flatMap((query, index) => (query.ReturnData === false ? [] : [seriesOf(context, query, statistics[index], start, end, descending)]));

  // The token is how many values of the concatenated series earlier pages returned.
  const listing = `GetMetricData:${queries.map((query) => query.Id).join(',')}`;
  const offset = input.NextToken === undefined ? 0 : Number(decodePageToken(listing, input.NextToken)?.[0] ?? NaN);
  const total = series.reduce((sum, { values }) => sum + values.length, 0);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > total) throw invalidNextToken();
  const pageEnd = Math.min(total, offset + maxDatapoints);

  let before = 0;
  const results = series.map(({ query, timestamps, values }): MetricDataResult => {
    const from = Math.min(Math.max(offset - before, 0), values.length);
    const to = Math.min(Math.max(pageEnd - before, 0), values.length);
    before += values.length;
    const status: StatusCode = to < values.length ? 'PartialData' : 'Complete';
    return {
      Id: query.Id,
      Label: query.Label ?? query.MetricStat?.Metric?.MetricName,
      Timestamps: timestamps.slice(from, to).map((timestamp) => new Date(timestamp)),
      Values: values.slice(from, to),
      StatusCode: status,
      Messages: [],
    };
  });
  return { MetricDataResults: results, NextToken: pageEnd < total ? encodePageToken(listing, [String(pageEnd)]) : undefined, Messages: [] };
}

function checkQuery(query: MetricDataQuery, number: number): Statistic {
  const parameter = `MetricDataQueries.member.${number}`;
  if (!QUERY_ID.test(query.Id ?? '')) throw invalidValue(query.Id, `${parameter}.Id`);
  if (query.Expression !== undefined) {
    throw validationError(
      `The emulator does not evaluate metric math or Metrics Insights queries (${parameter}.Expression): query metrics with MetricStat.`,
    );
  }
  const stat = query.MetricStat;
  if (!stat) throw validationError(`The parameter ${parameter}.MetricStat is required.`);
  checkPeriod(stat.Period ?? 0, () => invalidValue(stat.Period, `${parameter}.MetricStat.Period`));
  const statistic = parseStatistic(stat.Stat ?? '');
  if (!statistic && isUnsupportedStatistic(stat.Stat ?? '')) {
    throw new AwsError('NotImplemented', 501, `The emulator computes SampleCount, Average, Sum, Minimum, Maximum and percentiles, not ${stat.Stat}`);
  }
  if (!statistic) throw invalidValue(stat.Stat, `${parameter}.MetricStat.Stat`);
  return statistic;
}

function seriesOf(context: RequestContext, query: MetricDataQuery, statistic: Statistic, start: number, end: number, descending: boolean): Series {
  const stat: MetricStat = query.MetricStat ?? { Metric: undefined, Period: undefined, Stat: undefined };
  const { Namespace: namespace = '', MetricName: name = '', Dimensions: dimensions = [] } = stat.Metric ?? {};
  const period = stat.Period ?? 60;
  const buckets = metricBuckets(context, { namespace, name, dimensions }, { start, end, period, unit: stat.Unit }, context.now().getTime());
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const bucket of descending ? buckets.reverse() : buckets) {
    const value = statisticOf(bucket, statistic);
    if (value === undefined) continue;
    timestamps.push(bucket.timestamp);
    values.push(value);
  }
  return { query, timestamps, values };
}
