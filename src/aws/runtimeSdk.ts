// The SageMaker Runtime client (invocations and their event streams), in a chunk of its own: it is
// loaded when a chat first sends a prompt, not when the views list resources.
export { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
