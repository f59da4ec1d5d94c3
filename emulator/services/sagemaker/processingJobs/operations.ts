// SageMaker's operations on processing jobs: each file exports the handler named after its operation.
export * from './CreateProcessingJob';
export * from './DescribeProcessingJob';
export * from './ListProcessingJobs';
export * from './StopProcessingJob';
