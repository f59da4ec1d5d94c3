// SageMaker ListModelPackageGroups: Gets a list of the model groups in your Amazon Web Services account.
import type { ListModelPackageGroupsCommandInput, ListModelPackageGroupsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { listPage } from '../common/listing';
import { modelPackageGroupName, modelPackageGroups, summarizeModelPackageGroup } from './modelPackageGroupRecords';
import { allResources } from '../common/resources';

export async function ListModelPackageGroups(
  input: ListModelPackageGroupsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListModelPackageGroupsCommandOutput>> {
  const { page, nextToken } = listPage(
    'ListModelPackageGroups',
    allResources(context, modelPackageGroups),
    (group) => ({ name: modelPackageGroupName(group), createdAt: group.createdAt }),
    input,
    'Ascending',
  );
  return { ModelPackageGroupSummaryList: page.map(summarizeModelPackageGroup), NextToken: nextToken };
}
