// CloudWatch Logs CreateLogGroup: Creates a log group with the specified name.
import type { CreateLogGroupCommandInput, CreateLogGroupCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { findLogGroup, newLogGroup, putLogGroup } from './logGroups';

export async function createLogGroup(input: CreateLogGroupCommandInput, context: RequestContext): Promise<OperationOutput<CreateLogGroupCommandOutput>> {
  const { logGroupName: name = '', ...request } = input;
  if (findLogGroup(context, name)) throw new AwsError('ResourceAlreadyExistsException', 400, 'The specified log group already exists');
  await context.store.commit([putLogGroup(context, newLogGroup(context, name, request, context.now()))]);
  return {};
}
