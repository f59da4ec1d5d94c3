// SageMaker Runtime InvokeEndpointWithResponseStream: Invokes a model at the specified endpoint to return the
// inference response as a stream.
import type {
  InvokeEndpointWithResponseStreamCommandInput,
  InvokeEndpointWithResponseStreamCommandOutput,
} from '@aws-sdk/client-sagemaker-runtime';
import type { OperationOutput, RequestContext } from '../../operations';
import { type StreamEvent, StreamError } from '../../protocols/restJson';
import { type Invocation, invokeContainer, responseHeaders } from './invocations';

/**
 * The container's response bytes as PayloadPart events, as they arrive. A container that fails
 * before answering 2xx is a ModelError; one that breaks off mid-stream ends it with ModelStreamError.
 */
export async function invokeEndpointWithResponseStream(
  input: InvokeEndpointWithResponseStreamCommandInput,
  context: RequestContext,
): Promise<OperationOutput<InvokeEndpointWithResponseStreamCommandOutput>> {
  const invocation = await invokeContainer(input, context);
  const { ContentType, CustomAttributes } = responseHeaders(invocation.response);
  return {
    // The protocol writes the events; the SDK's output type is its own decoded stream.
    Body: payloadParts(invocation) as unknown as InvokeEndpointWithResponseStreamCommandOutput['Body'],
    ContentType,
    CustomAttributes,
    InvokedProductionVariant: invocation.route.variantName,
  };
}

async function* payloadParts(invocation: Invocation): AsyncGenerator<StreamEvent> {
  let complete = false;
  try {
    for await (const chunk of invocation.response as AsyncIterable<Buffer>) yield { PayloadPart: { Bytes: chunk } };
    complete = true;
    invocation.finished();
  } catch (error) {
    throw new StreamError('ModelStreamError', { Message: `The stream from container primary broke: ${(error as Error).message}`, ErrorCode: 'StreamBroken' });
  } finally {
    // The client went away (the protocol returned this generator early): stop the container's work.
    if (!complete) invocation.abort();
  }
}
