import type { DescribeEndpointConfigCommandInput, DescribeEndpointConfigCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { describeEndpointConfig as describe, endpointConfigs } from './endpointConfigs';
import { requireResource } from './resources';

export async function describeEndpointConfig(
  input: DescribeEndpointConfigCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeEndpointConfigCommandOutput>> {
  return describe(requireResource(context, endpointConfigs, input.EndpointConfigName));
}
