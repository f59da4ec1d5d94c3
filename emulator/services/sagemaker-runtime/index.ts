// SageMaker Runtime's operation table. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { invokeEndpoint } from './InvokeEndpoint';
import { invokeEndpointWithResponseStream } from './InvokeEndpointWithResponseStream';

export const sagemakerRuntimeOperations: OperationTable = {
  InvokeEndpoint: invokeEndpoint,
  InvokeEndpointWithResponseStream: invokeEndpointWithResponseStream,
};
