// SageMaker Runtime's operation table. Operations of the model missing here answer NotImplemented.
import type * as SageMakerRuntime from '@aws-sdk/client-sagemaker-runtime';
import { operationTable } from '../../operations';
import { invokeEndpoint } from './InvokeEndpoint';
import { invokeEndpointWithResponseStream } from './InvokeEndpointWithResponseStream';

export const sagemakerRuntimeOperations = operationTable<typeof SageMakerRuntime>()({
  InvokeEndpoint: invokeEndpoint,
  InvokeEndpointWithResponseStream: invokeEndpointWithResponseStream,
});
