// CloudWatch's operation table: operation name → handler, each checked against the SDK's shapes of that name (operations.ts). Operations of the model missing here answer NotImplemented.
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import { operationTable } from '../../operations';
import { getMetricData } from './GetMetricData';
import { getMetricStatistics } from './GetMetricStatistics';
import { listMetrics } from './ListMetrics';
import { putMetricData } from './PutMetricData';

export const cloudwatchOperations = operationTable<typeof CloudWatch>()({
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricData: putMetricData,
});
