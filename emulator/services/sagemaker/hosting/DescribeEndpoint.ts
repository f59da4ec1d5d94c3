// SageMaker DescribeEndpoint: Returns the description of an endpoint.
import type { DescribeEndpointCommandInput, DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeEndpoint as describe, endpoints } from './endpointRecords';
import { requireResource } from '../common/resources';

export async function DescribeEndpoint(
  input: DescribeEndpointCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeEndpointCommandOutput>> {
  return describe(requireResource(context, endpoints, input.EndpointName));
}
