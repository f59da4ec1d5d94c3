// SageMaker's operations on batch transform jobs: each file exports the handler named after its operation.
export * from './CreateTransformJob';
export * from './DescribeTransformJob';
export * from './ListTransformJobs';
export * from './StopTransformJob';
