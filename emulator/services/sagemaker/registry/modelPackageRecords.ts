// The model package record (a registered model version, or an unversioned package) and its views.
import type { CreateModelPackageCommandInput, DescribeModelPackageCommandOutput, ModelPackageSummary } from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../../operations';
import { defineResourceKind, type ResourceRecord } from '../common/resources';
import { optionalDate } from '../common/views';

export interface ModelPackageRecord extends ResourceRecord {
  /**
   * The package's definition: its CreateModelPackage request (group given by name, without Tags and
   * ClientToken) as UpdateModelPackage has changed it since.
   */
  definition: Omit<CreateModelPackageCommandInput, 'Tags' | 'ClientToken'>;
  /** Versioned packages only. */
  version?: number;
  approvalDescription?: string;
  lastModifiedAt?: number;
}

/** Keyed by `group/version` for versioned packages (as in their ARN), by name for unversioned ones. */
export const modelPackages = defineResourceKind<ModelPackageRecord>('sagemaker.modelPackages', 'model-package', 'model package', 'registry');

/** Versioned packages are named after their group. */
export function modelPackageName(modelPackage: ModelPackageRecord): string {
  return modelPackage.definition.ModelPackageGroupName ?? modelPackage.definition.ModelPackageName ?? '';
}

/** Nothing validates or scans packages, so they are Completed from the start. */
export function describeModelPackage(modelPackage: ModelPackageRecord): OperationOutput<DescribeModelPackageCommandOutput> {
  return {
    ...modelPackage.definition,
    ...summarizeModelPackage(modelPackage),
    ModelPackageName: modelPackageName(modelPackage),
    ModelPackageStatus: 'Completed',
    ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
    ApprovalDescription: modelPackage.approvalDescription,
    LastModifiedTime: optionalDate(modelPackage.lastModifiedAt),
  };
}

export function summarizeModelPackage(modelPackage: ModelPackageRecord): ModelPackageSummary {
  const { definition } = modelPackage;
  return {
    ModelPackageName: modelPackageName(modelPackage),
    ModelPackageGroupName: definition.ModelPackageGroupName,
    ModelPackageVersion: modelPackage.version,
    ModelPackageArn: modelPackage.arn,
    ModelPackageDescription: definition.ModelPackageDescription,
    CreationTime: new Date(modelPackage.createdAt),
    ModelPackageStatus: 'Completed',
    ModelApprovalStatus: definition.ModelApprovalStatus,
    ModelLifeCycle: definition.ModelLifeCycle,
    ModelPackageRegistrationType: definition.ModelPackageRegistrationType,
  };
}
