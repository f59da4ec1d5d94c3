// SageMaker Runtime InvokeEndpoint: After you deploy a model into production using Amazon SageMaker AI
// hosting services, your client applications use this API to get inferences from the model hosted at the
// specified endpoint.
import type { InvokeEndpointCommandInput, InvokeEndpointCommandOutput } from '@aws-sdk/client-sagemaker-runtime';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { invokeContainer, readLimited, responseHeaders } from './invocations';

/** SageMaker's limit on a real-time response payload. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export async function invokeEndpoint(input: InvokeEndpointCommandInput, context: RequestContext): Promise<OperationOutput<InvokeEndpointCommandOutput>> {
  const invocation = await invokeContainer(input, context);
  const { route, response } = invocation;
  const body = await readLimited(response, MAX_RESPONSE_BYTES + 1);
  invocation.finished();
  if (body.length > MAX_RESPONSE_BYTES) {
    throw new AwsError('ModelError', 424, `The response from container primary is larger than ${MAX_RESPONSE_BYTES} bytes; use InvokeEndpointWithResponseStream for large responses.`);
  }
  // The protocol writes the bytes; the SDK's output type is its own decoded blob.
  return { Body: body as unknown as InvokeEndpointCommandOutput['Body'], InvokedProductionVariant: route.variantName, ...responseHeaders(response) };
}
