// SageMaker ListModelPackages: Lists the model packages that have been created.
import type { ListModelPackagesCommandInput, ListModelPackagesCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineListing } from '../common/listing';
import { modelPackageGroupName, modelPackageGroups } from './modelPackageGroupRecords';
import { modelPackageName, modelPackages, summarizeModelPackage } from './modelPackageRecords';
import { findResource } from '../common/resources';

const listing = defineListing(
  'ListModelPackages',
  modelPackages,
  (modelPackage) => ({ name: modelPackageName(modelPackage), createdAt: modelPackage.createdAt, version: modelPackage.version }),
  'Ascending',
);

/**
 * AWS lists unversioned packages unless ModelPackageType says otherwise, but a request for a group's
 * packages lists its versions: that is how the registry is browsed.
 */
export async function ListModelPackages(
  input: ListModelPackagesCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListModelPackagesCommandOutput>> {
  const groupName = input.ModelPackageGroupName === undefined ? undefined : groupNameOf(context, input.ModelPackageGroupName);
  const type = input.ModelPackageType ?? (groupName === undefined ? 'Unversioned' : 'Versioned');
  const { page, nextToken } = listing.page(
    context,
    input,
    (modelPackage) =>
      (type === 'Both' || (type === 'Versioned') === (modelPackage.version !== undefined)) &&
      (groupName === undefined || modelPackage.definition.ModelPackageGroupName === groupName) &&
      (input.ModelApprovalStatus === undefined || modelPackage.definition.ModelApprovalStatus === input.ModelApprovalStatus),
  );
  return { ModelPackageSummaryList: page.map(summarizeModelPackage), NextToken: nextToken };
}

/** The group's name as its packages record it (the request may give an ARN or another case). */
function groupNameOf(context: RequestContext, nameOrArn: string): string {
  const group = findResource(context, modelPackageGroups, nameOrArn);
  return group ? modelPackageGroupName(group) : nameOrArn;
}
