// SageMaker DescribeEndpointConfig: Returns the description of an endpoint configuration created using the
// CreateEndpointConfig API.
import type { DescribeEndpointConfigCommandInput, DescribeEndpointConfigCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeEndpointConfig as describe, endpointConfigs } from './endpointConfigRecords';
import { requireResource } from '../common/resources';

export async function DescribeEndpointConfig(
  input: DescribeEndpointConfigCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeEndpointConfigCommandOutput>> {
  return describe(requireResource(context, endpointConfigs, input.EndpointConfigName));
}
