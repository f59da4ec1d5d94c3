// SageMaker's operations on models, endpoint configurations and endpoints: each file exports the handler named after its operation.
export * from './CreateEndpoint';
export * from './CreateEndpointConfig';
export * from './CreateModel';
export * from './DeleteEndpoint';
export * from './DeleteEndpointConfig';
export * from './DeleteModel';
export * from './DescribeEndpoint';
export * from './DescribeEndpointConfig';
export * from './DescribeModel';
export * from './ListEndpointConfigs';
export * from './ListEndpoints';
export * from './ListModels';
export * from './UpdateEndpoint';
export * from './UpdateEndpointWeightsAndCapacities';
