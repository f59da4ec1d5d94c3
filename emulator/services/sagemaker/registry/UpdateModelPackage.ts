// SageMaker UpdateModelPackage: Updates a versioned model.
import type { UpdateModelPackageCommandInput, UpdateModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { type ModelPackageRecord, modelPackages } from './modelPackageRecords';
import { putResource, requireResource } from '../common/resources';

export async function UpdateModelPackage(
  input: UpdateModelPackageCommandInput,
  context: RequestContext,
): Promise<OperationOutput<UpdateModelPackageCommandOutput>> {
  const modelPackage = requireResource(context, modelPackages, input.ModelPackageArn);
  const { definition } = modelPackage;
  const metadata = { ...definition.CustomerMetadataProperties, ...input.CustomerMetadataProperties };
  for (const key of input.CustomerMetadataPropertiesToRemove ?? []) delete metadata[key];
  const inferenceSpecifications = [...(definition.AdditionalInferenceSpecifications ?? []), ...(input.AdditionalInferenceSpecificationsToAdd ?? [])];
  const updated: ModelPackageRecord = {
    ...modelPackage,
    definition: {
      ...definition,
      ModelApprovalStatus: input.ModelApprovalStatus ?? definition.ModelApprovalStatus,
      ModelPackageRegistrationType: input.ModelPackageRegistrationType ?? definition.ModelPackageRegistrationType,
      InferenceSpecification: input.InferenceSpecification ?? definition.InferenceSpecification,
      SourceUri: input.SourceUri ?? definition.SourceUri,
      ModelCard: input.ModelCard ?? definition.ModelCard,
      ModelLifeCycle: input.ModelLifeCycle ?? definition.ModelLifeCycle,
      CustomerMetadataProperties: Object.keys(metadata).length > 0 ? metadata : undefined,
      AdditionalInferenceSpecifications: inferenceSpecifications.length > 0 ? inferenceSpecifications : undefined,
    },
    approvalDescription: input.ApprovalDescription ?? modelPackage.approvalDescription,
    lastModifiedAt: context.now().getTime(),
  };
  await context.store.commit([putResource(context, modelPackages, updated)]);
  return { ModelPackageArn: modelPackage.arn };
}
