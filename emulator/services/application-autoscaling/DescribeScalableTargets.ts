// Application Auto Scaling DescribeScalableTargets: Gets information about the scalable targets in the
// specified namespace.
import type { DescribeScalableTargetsCommandInput, DescribeScalableTargetsCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import { assertDimensionHasResource, invalidNextToken, pageSize } from './errors';
import { allTargets, describeScalableTarget, matchesFilters, targetKey } from './targets';

const MAX_RESULTS = 50;

/** In the order targets were registered. */
export async function describeScalableTargets(
  input: DescribeScalableTargetsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeScalableTargetsCommandOutput>> {
  assertDimensionHasResource({ resourceGiven: input.ResourceIds !== undefined, scalableDimension: input.ScalableDimension });
  const { page, nextToken } = sortedPage(
    allTargets(context).filter((target) => matchesFilters(target.id, input)),
    (target) => [target.createdAt, targetKey(target.id)],
    { listing: 'DescribeScalableTargets', limit: pageSize(input.MaxResults, MAX_RESULTS), token: input.NextToken },
    invalidNextToken,
  );
  return { ScalableTargets: page.map(describeScalableTarget), NextToken: nextToken };
}
