// The model package group record (a registry "model group") and its views.
import type {
  CreateModelPackageGroupCommandInput,
  DescribeModelPackageGroupCommandOutput,
  ModelPackageGroupSummary,
} from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../../operations';
import { defineResourceKind, type ResourceRecord } from '../common/resources';

export interface ModelPackageGroupRecord extends ResourceRecord {
  /** The CreateModelPackageGroup request; its Tags live with the other tags. */
  request: Omit<CreateModelPackageGroupCommandInput, 'Tags'>;
  /** The last version number given to a package of the group; numbers are never reused. */
  latestVersion: number;
}

export const modelPackageGroups = defineResourceKind<ModelPackageGroupRecord>(
  'sagemaker.modelPackageGroups',
  'model-package-group',
  'model package group',
  'registry',
);

export function modelPackageGroupName(group: ModelPackageGroupRecord): string {
  return group.request.ModelPackageGroupName ?? '';
}

/** Nothing runs to create a group, so it is Completed from the start. */
export function describeModelPackageGroup(group: ModelPackageGroupRecord): OperationOutput<DescribeModelPackageGroupCommandOutput> {
  // No SageMaker Studio user made it: the creator is an IAM identity the emulator does not model.
  return { ...summarizeModelPackageGroup(group), CreatedBy: {} };
}

export function summarizeModelPackageGroup(group: ModelPackageGroupRecord): ModelPackageGroupSummary {
  return {
    ModelPackageGroupName: modelPackageGroupName(group),
    ModelPackageGroupArn: group.arn,
    ModelPackageGroupDescription: group.request.ModelPackageGroupDescription,
    CreationTime: new Date(group.createdAt),
    ModelPackageGroupStatus: 'Completed',
  };
}
