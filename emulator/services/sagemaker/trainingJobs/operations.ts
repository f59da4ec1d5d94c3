// SageMaker's operations on training jobs: each file exports the handler named after its operation.
export * from './CreateTrainingJob';
export * from './DescribeTrainingJob';
export * from './ListTrainingJobs';
export * from './StopTrainingJob';
