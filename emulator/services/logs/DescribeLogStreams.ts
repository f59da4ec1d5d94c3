// CloudWatch Logs DescribeLogStreams: Lists the log streams for the specified log group.
import type { DescribeLogStreamsCommandInput, DescribeLogStreamsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import type { SortKey } from '../../store/orders';
import { invalidNextToken, invalidParameter } from './errors';
import { requireLogGroup } from './logGroups';
import { allLogStreams, describeLogStream, type LogStreamRecord } from './logStreams';

const DEFAULT_LIMIT = 50;

export async function describeLogStreams(
  input: DescribeLogStreamsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeLogStreamsCommandOutput>> {
  const group = requireLogGroup(context, input);
  const prefix = input.logStreamNamePrefix;
  const orderBy = input.orderBy ?? 'LogStreamName';
  if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  // A stream without events sorts as if its last event were at the epoch.
  const sortKey = (stream: LogStreamRecord): SortKey => (orderBy === 'LastEventTime' ? [stream.lastEventTimestamp ?? 0, stream.name] : [stream.name]);
  const { page, nextToken } = sortedPage(
    allLogStreams(context, group.name).filter((stream) => prefix === undefined || stream.name.startsWith(prefix)),
    sortKey,
    { listing: `DescribeLogStreams:${group.name}:${orderBy}`, descending: input.descending, limit: input.limit ?? DEFAULT_LIMIT, token: input.nextToken },
    invalidNextToken,
  );
  return { logStreams: page.map(describeLogStream), nextToken };
}
