// Application Auto Scaling DescribeScalingPolicies: Describes the Application Auto Scaling scaling policies
// for the specified service namespace.
import type { DescribeScalingPoliciesCommandInput, DescribeScalingPoliciesCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import { assertDimensionHasResource, invalidNextToken, pageSize } from './errors';
import { allPolicies, describePolicy } from './policies';
import { matchesFilters, targetKey } from './targets';

const MAX_RESULTS = 10;

/** In the order policies were created. */
export async function describeScalingPolicies(
  input: DescribeScalingPoliciesCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeScalingPoliciesCommandOutput>> {
  assertDimensionHasResource({ resourceGiven: input.ResourceId !== undefined, scalableDimension: input.ScalableDimension });
  const filters = { ...input, ResourceIds: input.ResourceId === undefined ? undefined : [input.ResourceId] };
  const { page, nextToken } = sortedPage(
    allPolicies(context).filter(
      (policy) => matchesFilters(policy.target, filters) && (input.PolicyNames === undefined || input.PolicyNames.includes(policy.name)),
    ),
    (policy) => [policy.createdAt, targetKey(policy.target), policy.name],
    { listing: 'DescribeScalingPolicies', limit: pageSize(input.MaxResults, MAX_RESULTS), token: input.NextToken },
    invalidNextToken,
  );
  return { ScalingPolicies: page.map(describePolicy), NextToken: nextToken };
}
