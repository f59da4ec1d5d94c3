// SageMaker ListModelPackageGroups: Gets a list of the model groups in your Amazon Web Services account.
import type { ListModelPackageGroupsCommandInput, ListModelPackageGroupsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineListing } from '../common/listing';
import { modelPackageGroupName, modelPackageGroups, summarizeModelPackageGroup } from './modelPackageGroupRecords';

const listing = defineListing('ListModelPackageGroups', modelPackageGroups, (group) => ({ name: modelPackageGroupName(group), createdAt: group.createdAt }), 'Ascending');

export async function ListModelPackageGroups(
  input: ListModelPackageGroupsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListModelPackageGroupsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { ModelPackageGroupSummaryList: page.map(summarizeModelPackageGroup), NextToken: nextToken };
}
