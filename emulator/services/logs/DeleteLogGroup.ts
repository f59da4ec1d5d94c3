// CloudWatch Logs DeleteLogGroup: Deletes the specified log group and permanently deletes all the archived
// log events associated with the log group.
import type { DeleteLogGroupCommandInput, DeleteLogGroupCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { removeLogEvents } from './logEvents';
import { removeLogGroup, requireLogGroup } from './logGroups';
import { allLogStreams, removeLogStream } from './logStreams';

/** The group goes with its streams and all their events, in one transaction. */
export async function deleteLogGroup(input: DeleteLogGroupCommandInput, context: RequestContext): Promise<OperationOutput<DeleteLogGroupCommandOutput>> {
  const group = requireLogGroup(context, { logGroupName: input.logGroupName });
  const streams = allLogStreams(context, group.name);
  await context.store.commit([
    ...streams.flatMap((stream) => [...removeLogEvents(context, group.name, stream), removeLogStream(context, group.name, stream)]),
    removeLogGroup(context, group),
  ]);
  return {};
}
