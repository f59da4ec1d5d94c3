// CloudWatch ListMetrics: List the specified metrics.
import type { ListMetricsCommandInput, ListMetricsCommandOutput } from '@aws-sdk/client-cloudwatch';
import type { OperationOutput, RequestContext } from '../../operations';
import { sortedPage } from '../paging';
import { invalidNextToken } from './errors';
import { allMetrics, type MetricRecord } from './metrics';

const PAGE_SIZE = 500;
const IDLE_MS = 14 * 24 * 3_600_000;
const RECENTLY_ACTIVE_MS = { PT3H: 3 * 3_600_000 };

/**
 * Metrics that received data in the past two weeks (the past three hours with RecentlyActive), of a
 * namespace and name if given, having every dimension filtered on (with its value, if one is given).
 */
export async function listMetrics(input: ListMetricsCommandInput, context: RequestContext): Promise<OperationOutput<ListMetricsCommandOutput>> {
  const now = context.now().getTime();
  const since = now - (input.RecentlyActive ? RECENTLY_ACTIVE_MS[input.RecentlyActive] : IDLE_MS);
  const filters = input.Dimensions ?? [];
  // Only this account's metrics are here: another owning account has none.
  const matching =
    input.OwningAccount !== undefined && input.OwningAccount !== context.accountId
      ? []
      : allMetrics(context).filter(
          (metric) =>
            metric.lastReceivedAt >= since &&
            (input.Namespace === undefined || metric.namespace === input.Namespace) &&
            (input.MetricName === undefined || metric.name === input.MetricName) &&
            filters.every((filter) =>
              metric.dimensions.some((dimension) => dimension.Name === filter.Name && (filter.Value === undefined || dimension.Value === filter.Value)),
            ),
        );
  const { page, nextToken } = sortedPage(matching, sortKey, { listing: 'ListMetrics', limit: PAGE_SIZE, token: input.NextToken }, invalidNextToken);
  return {
    Metrics: page.map((metric) => ({ Namespace: metric.namespace, MetricName: metric.name, Dimensions: metric.dimensions })),
    ...(input.IncludeLinkedAccounts && { OwningAccounts: page.map(() => context.accountId) }),
    NextToken: nextToken,
  };
}

function sortKey(metric: MetricRecord): string[] {
  return [metric.namespace, metric.name, ...metric.dimensions.flatMap((dimension) => [dimension.Name, dimension.Value])];
}
