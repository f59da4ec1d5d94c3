// Application Auto Scaling DescribeScalingActivities: Provides descriptive information about the scaling
// activities in the specified namespace from the previous six weeks.
import type { DescribeScalingActivitiesCommandInput, DescribeScalingActivitiesCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import { allActivities, describeActivity } from './activities';
import { assertDimensionHasResource, invalidNextToken, pageSize } from './errors';
import { matchesFilters } from './targets';

const MAX_RESULTS = 50;

/** Newest first. Every activity the emulator records scaled, so IncludeNotScaledActivities changes nothing. */
export async function describeScalingActivities(
  input: DescribeScalingActivitiesCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeScalingActivitiesCommandOutput>> {
  assertDimensionHasResource({ resourceGiven: input.ResourceId !== undefined, scalableDimension: input.ScalableDimension });
  const filters = { ...input, ResourceIds: input.ResourceId === undefined ? undefined : [input.ResourceId] };
  const { page, nextToken } = sortedPage(
    allActivities(context).filter((activity) => matchesFilters(activity.target, filters)),
    (activity) => [activity.startedAt, activity.id],
    { listing: 'DescribeScalingActivities', descending: true, limit: pageSize(input.MaxResults, MAX_RESULTS), token: input.NextToken },
    invalidNextToken,
  );
  return { ScalingActivities: page.map(describeActivity), NextToken: nextToken };
}
