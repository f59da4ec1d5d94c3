// The checks GetMetricStatistics and GetMetricData share: a period CloudWatch can serve and a time
// range that is not empty.
import type { AwsError } from '../../errors';
import { invalidParameterValue } from './errors';

/** High-resolution periods, below which a period must be a multiple of a minute. */
const SHORT_PERIODS = [1, 5, 10, 20, 30];

export function checkPeriod(period: number, invalid: () => AwsError): void {
  if (!SHORT_PERIODS.includes(period) && period % 60 !== 0) throw invalid();
}

/** Epoch ms; `reversed` is the operation's own words for a start after the end. */
export function checkTimeRange(start: number, end: number, reversed: () => AwsError): void {
  if (start === end) throw invalidParameterValue('The parameter StartTime must not equal parameter EndTime.');
  if (start > end) throw reversed();
}
