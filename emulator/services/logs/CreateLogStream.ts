// CloudWatch Logs CreateLogStream: Creates a log stream for the specified log group.
import type { CreateLogStreamCommandInput, CreateLogStreamCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { requireLogGroup } from './logGroups';
import { findLogStream, newLogStream, putLogStream } from './logStreams';

export async function createLogStream(input: CreateLogStreamCommandInput, context: RequestContext): Promise<OperationOutput<CreateLogStreamCommandOutput>> {
  const group = requireLogGroup(context, { logGroupName: input.logGroupName });
  const name = input.logStreamName ?? '';
  if (findLogStream(context, group.name, name)) throw new AwsError('ResourceAlreadyExistsException', 400, 'The specified log stream already exists');
  await context.store.commit([putLogStream(context, group.name, newLogStream(group, name, context.now()))]);
  return {};
}
