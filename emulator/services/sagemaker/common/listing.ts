// The List* conventions SageMaker's resources share: NameContains, time windows, StatusEquals, SortBy
// (Name | CreationTime | Status), SortOrder, MaxResults and an opaque NextToken. A listing sorted by
// CreationTime or Name (the views' and SDK paginators' orders) walks an order the store keeps, so a
// page costs what a page costs however many resources there are; by Status it selects the page from
// all of them (without sorting them all).
import { validationError } from '../../../errors';
import { type RegionalScope, regionalPartition } from '../../../regionalScope';
import { defineOrder, type Order, type SortKey } from '../../../store/orders';
import { type Page, pageInOrder, type PageRequest, sortedPage } from '../../paging';
import { allResources, type ResourceKind, type ResourceRecord } from './resources';

export interface ListRequest {
  NameContains?: string;
  CreationTimeAfter?: Date;
  CreationTimeBefore?: Date;
  LastModifiedTimeAfter?: Date;
  LastModifiedTimeBefore?: Date;
  StatusEquals?: string;
  SortBy?: string;
  SortOrder?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** What listing needs to know of a resource. */
export interface Listed {
  name: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastModifiedAt?: number;
  status?: string;
  /** Tells apart items of the same name (the versions of a model package group). */
  version?: number;
}

type SortBy = 'Name' | 'CreationTime' | 'Status';

/** One List* operation over one kind of resource, defined once (its orders live as long as the emulator). */
export interface Listing<T extends ResourceRecord> {
  /**
   * One page of the resources in `scope`, filtered and sorted as the request says, and kept only if
   * `where` holds (the operation's own filters).
   */
  page(scope: RegionalScope, request: ListRequest, where?: (item: T) => boolean): Page<T>;
}

const DEFAULT_MAX_RESULTS = 10;

/**
 * The listing `listing` (its name ties its tokens to it) of `kind`: by default newest first, or in
 * `defaultSortOrder` for the listings whose default AWS documents as Ascending.
 */
export function defineListing<T extends ResourceRecord>(
  listing: string,
  kind: ResourceKind<T>,
  describe: (item: T) => Listed,
  defaultSortOrder: 'Ascending' | 'Descending' = 'Descending',
): Listing<T> {
  const orders: Partial<Record<SortBy, Order<T>>> = {
    CreationTime: defineOrder(kind.table, (item: T) => sortKey(describe(item), 'CreationTime')),
    Name: defineOrder(kind.table, (item: T) => sortKey(describe(item), 'Name')),
  };
  return {
    page(scope, request, where) {
      const sortBy = (request.SortBy ?? 'CreationTime') as SortBy;
      const matches = matcher(request);
      const pageRequest: PageRequest = {
        listing: `${listing}:${sortBy}`,
        descending: (request.SortOrder ?? defaultSortOrder) === 'Descending',
        limit: request.MaxResults ?? DEFAULT_MAX_RESULTS,
        token: request.NextToken,
      };
      const invalidToken = () => validationError('Invalid pagination token');
      const order = orders[sortBy];
      if (order) {
        return pageInOrder(
          function* (descending, after) {
            for (const { key, record } of scope.store.ordered(order, regionalPartition(scope), descending, after)) {
              if (matches(describe(record)) && (where?.(record) ?? true)) yield { item: record, key };
            }
          },
          pageRequest,
          invalidToken,
        );
      }
      const selected = allResources(scope, kind).filter((item) => matches(describe(item)) && (where?.(item) ?? true));
      return sortedPage(selected, (item) => sortKey(describe(item), sortBy), pageRequest, invalidToken);
    },
  };
}

function sortKey(listed: Listed, sortBy: SortBy): SortKey {
  return [sortBy === 'Name' ? listed.name : sortBy === 'Status' ? (listed.status ?? '') : listed.createdAt, listed.name, listed.version ?? 0];
}

function matcher(request: ListRequest): (listed: Listed) => boolean {
  const nameContains = request.NameContains?.toLowerCase();
  const within = (time: number | undefined, from?: Date, to?: Date) =>
    (from === undefined || (time !== undefined && time > from.getTime())) && (to === undefined || (time !== undefined && time < to.getTime()));
  return (listed) =>
    (nameContains === undefined || listed.name.toLowerCase().includes(nameContains)) &&
    (request.StatusEquals === undefined || listed.status === request.StatusEquals) &&
    within(listed.createdAt, request.CreationTimeAfter, request.CreationTimeBefore) &&
    within(listed.lastModifiedAt, request.LastModifiedTimeAfter, request.LastModifiedTimeBefore);
}
