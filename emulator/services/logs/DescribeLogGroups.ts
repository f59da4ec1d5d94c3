// CloudWatch Logs DescribeLogGroups: Returns information about log groups, including data sources that ingest
// into each log group.
import type { DescribeLogGroupsCommandInput, DescribeLogGroupsCommandOutput, LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import { invalidNextToken, invalidParameter } from './errors';
import { allLogGroups, describeLogGroup, type LogGroupRecord } from './logGroups';
import { allLogStreams } from './logStreams';

const DEFAULT_LIMIT = 50;

/** ASCII-sorted by name. With logGroupNamePattern, AWS shows only the name, ARN and creation time. */
export async function describeLogGroups(
  input: DescribeLogGroupsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeLogGroupsCommandOutput>> {
  const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const identifiers = input.logGroupIdentifiers && new Set(input.logGroupIdentifiers);
  const matching = allLogGroups(context).filter(
    (group) =>
      (prefix === undefined || group.name.startsWith(prefix)) &&
      (pattern === undefined || group.name.includes(pattern)) &&
      (input.logGroupClass === undefined || (group.request.logGroupClass ?? 'STANDARD') === input.logGroupClass) &&
      (identifiers === undefined || identifiers.has(group.name) || identifiers.has(group.arn)),
  );
  const { page, nextToken } = sortedPage(
    matching,
    (group) => [group.name],
    { listing: 'DescribeLogGroups', limit: input.limit ?? DEFAULT_LIMIT, token: input.nextToken },
    invalidNextToken,
  );
  return { logGroups: page.map((group) => (pattern === undefined ? described(context, group) : briefly(context, group))), nextToken };
}

function described(context: RequestContext, group: LogGroupRecord): LogGroup {
  const storedBytes = allLogStreams(context, group.name).reduce((total, stream) => total + stream.storedBytes, 0);
  return describeLogGroup(group, storedBytes);
}

function briefly(context: RequestContext, group: LogGroupRecord): LogGroup {
  const { logGroupName, arn, creationTime } = described(context, group);
  return { logGroupName, arn, creationTime };
}
