// SageMaker's operations on tags of any SageMaker resource: each file exports the handler named after its operation.
export * from './AddTags';
export * from './DeleteTags';
export * from './ListTags';
