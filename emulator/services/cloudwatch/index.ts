// CloudWatch's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { getMetricData } from './GetMetricData';
import { getMetricStatistics } from './GetMetricStatistics';
import { listMetrics } from './ListMetrics';
import { putMetricData } from './PutMetricData';

export const cloudwatchOperations: OperationTable = {
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricData: putMetricData,
};
