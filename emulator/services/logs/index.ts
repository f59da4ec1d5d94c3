// CloudWatch Logs' operation table: operation name → handler, each checked against the SDK's shapes of that name (operations.ts). Operations of the model missing here answer NotImplemented.
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import { operationTable } from '../../operations';
import { createLogGroup } from './CreateLogGroup';
import { createLogStream } from './CreateLogStream';
import { deleteLogGroup } from './DeleteLogGroup';
import { describeLogGroups } from './DescribeLogGroups';
import { describeLogStreams } from './DescribeLogStreams';
import { filterLogEvents } from './FilterLogEvents';
import { getLogEvents } from './GetLogEvents';
import { putLogEvents } from './PutLogEvents';

export const logsOperations = operationTable<typeof CloudWatchLogs>()({
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  DeleteLogGroup: deleteLogGroup,
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  FilterLogEvents: filterLogEvents,
  GetLogEvents: getLogEvents,
  PutLogEvents: putLogEvents,
});
