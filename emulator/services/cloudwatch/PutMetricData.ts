// CloudWatch PutMetricData: Publishes metric data to Amazon CloudWatch.
import type { MetricDatum, PutMetricDataCommandInput, PutMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import type { OperationOutput, RequestContext } from '../../operations';
import { invalidParameterCombination, invalidParameterValue, invalidValue, missingParameter } from './errors';
import { appendPoints, type MetricId, type StoredPoint, storedTime } from './metrics';

const MAX_DATA = 1000;
const MAX_VALUES = 150;
const MAX_AGE_MS = 14 * 24 * 3_600_000;
const MAX_FUTURE_MS = 2 * 3_600_000;
/** CloudWatch rejects values beyond 2^360 in magnitude, and non-zero ones below 2^-360 (8.5e-109). */
const MAX_MAGNITUDE = 2 ** 360;
const MIN_MAGNITUDE = 2 ** -360;

/**
 * Datums of MetricData (and of EntityMetricData, whose entities the emulator does not keep) are
 * checked as CloudWatch checks them, all before any is stored: one value, several with counts, or a
 * statistic set; a timestamp within the past two weeks and at most two hours ahead; no `AWS/`
 * namespace (reserved to AWS services).
 */
export async function putMetricData(input: PutMetricDataCommandInput, context: RequestContext): Promise<OperationOutput<PutMetricDataCommandOutput>> {
  const namespace = input.Namespace ?? '';
  if (namespace.startsWith('AWS/')) throw invalidValue(namespace, 'Namespace');
  const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((entity) => entity.MetricData ?? [])];
  if (input.MetricData === undefined && input.EntityMetricData === undefined) throw missingParameter('The parameter MetricData is required.');
  if (data.length > MAX_DATA) throw invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);

  const now = context.now();
  const entries = data.map((datum, index) => ({ metric: metricOf(namespace, datum, index + 1), point: pointOf(datum, index + 1, now) }));
  // Out-of-range timestamps are reported together, one line each, as CloudWatch does.
  const timeErrors = data.flatMap((datum, index) => timestampError(datum, index + 1, now));
  if (timeErrors.length > 0) throw invalidParameterValue(timeErrors.join('\n'));
  await appendPoints(context, entries, now);
  return {};
}

function metricOf(namespace: string, datum: MetricDatum, number: number): MetricId {
  const dimensions = datum.Dimensions ?? [];
  if (new Set(dimensions.map((dimension) => dimension.Name)).size < dimensions.length) {
    throw invalidParameterValue(`The collection MetricData.member.${number}.Dimensions must not contain duplicate dimension names.`);
  }
  return { namespace, name: datum.MetricName ?? '', dimensions };
}

function pointOf(datum: MetricDatum, number: number, now: Date): StoredPoint {
  const parameter = (name: string) => `MetricData.member.${number}.${name}`;
  const { Value: value, Values: values, Counts: counts, StatisticValues: set } = datum;
  if (value !== undefined && set !== undefined) {
    throw invalidParameterCombination(
      `The parameters ${parameter('Value')} and ${parameter('StatisticValues')} are mutually exclusive and you have specified both.`,
    );
  }
  if (values !== undefined && (value !== undefined || set !== undefined)) {
    const other = value !== undefined ? 'Value' : 'StatisticValues';
    throw invalidParameterCombination(`The parameters ${parameter(other)} and ${parameter('Values')} are mutually exclusive and you have specified both.`);
  }
  if (value === undefined && values === undefined && set === undefined) {
    throw missingParameter(`One of the parameters ${parameter('Value')}, ${parameter('Values')} or ${parameter('StatisticValues')} is required.`);
  }
  if (values === undefined && counts !== undefined) throw missingParameter(`The parameter ${parameter('Values')} is required when ${parameter('Counts')} is given.`);
  if (values !== undefined && values.length > MAX_VALUES) {
    throw invalidParameterValue(`The collection ${parameter('Values')} must not have a size greater than ${MAX_VALUES}.`);
  }
  if (values !== undefined && counts !== undefined && counts.length !== values.length) {
    throw invalidParameterValue(`The parameters ${parameter('Values')} and ${parameter('Counts')} must be of the same size.`);
  }
  for (const [name, checked] of [['Value', value === undefined ? [] : [value]], ['Values', values ?? []]] as const) {
    const bad = checked.find((number) => !representable(number));
    if (bad !== undefined) throw invalidValue(bad, parameter(name));
  }
  if (set && (set.SampleCount ?? 0) <= 0) throw invalidValue(set.SampleCount, parameter('StatisticValues.SampleCount'));
  if (set && (set.Minimum ?? 0) > (set.Maximum ?? 0)) {
    throw invalidParameterValue(
      `The parameter ${parameter('StatisticValues.Minimum')} must be less than or equal to the parameter ${parameter('StatisticValues.Maximum')}.`,
    );
  }
  const resolution = datum.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) throw invalidValue(resolution, parameter('StorageResolution'));

  const point: StoredPoint = { t: storedTime((datum.Timestamp ?? now).getTime(), resolution) };
  if (set) point.set = [set.SampleCount ?? 0, set.Sum ?? 0, set.Minimum ?? 0, set.Maximum ?? 0];
  else if (values) Object.assign(point, { values, ...(counts && { counts }) });
  else point.v = value;
  if (datum.Unit && datum.Unit !== 'None') point.unit = datum.Unit;
  return point;
}

function representable(value: number): boolean {
  const magnitude = Math.abs(value);
  return Number.isFinite(value) && magnitude <= MAX_MAGNITUDE && (magnitude === 0 || magnitude >= MIN_MAGNITUDE);
}

function timestampError(datum: MetricDatum, number: number, now: Date): string[] {
  const time = datum.Timestamp?.getTime();
  if (time === undefined) return [];
  if (time < now.getTime() - MAX_AGE_MS) return [`The parameter MetricData.member.${number}.Timestamp must specify a time within the past two weeks.`];
  if (time > now.getTime() + MAX_FUTURE_MS) return [`The parameter MetricData.member.${number}.Timestamp must specify a time no more than two hours in the future.`];
  return [];
}
