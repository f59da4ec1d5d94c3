// SageMaker's operations on model package groups and model packages (the model registry): each file exports the handler named after its operation.
export * from './CreateModelPackage';
export * from './CreateModelPackageGroup';
export * from './DeleteModelPackage';
export * from './DeleteModelPackageGroup';
export * from './DescribeModelPackage';
export * from './DescribeModelPackageGroup';
export * from './ListModelPackageGroups';
export * from './ListModelPackages';
export * from './UpdateModelPackage';
