// The List* conventions SageMaker's resources share: NameContains, time windows, StatusEquals, SortBy
// (Name | CreationTime | Status), SortOrder, MaxResults and an opaque NextToken.
import { validationError } from '../../../errors';
import { type Page, sortedPage, type SortKey } from '../../paging';

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

const DEFAULT_MAX_RESULTS = 10;

/**
 * One page of `items`, filtered and sorted as the request says; by default newest first, or in
 * `defaultSortOrder` for the listings whose default AWS documents as Ascending.
 */
export function listPage<T>(
  listing: string,
  items: Iterable<T>,
  describe: (item: T) => Listed,
  request: ListRequest,
  defaultSortOrder: 'Ascending' | 'Descending' = 'Descending',
): Page<T> {
  const sortBy = request.SortBy ?? 'CreationTime';
  const nameContains = request.NameContains?.toLowerCase();
  const within = (time: number | undefined, from?: Date, to?: Date) =>
    (from === undefined || (time !== undefined && time > from.getTime())) && (to === undefined || (time !== undefined && time < to.getTime()));
  const matches = (listed: Listed) =>
    (nameContains === undefined || listed.name.toLowerCase().includes(nameContains)) &&
    (request.StatusEquals === undefined || listed.status === request.StatusEquals) &&
    within(listed.createdAt, request.CreationTimeAfter, request.CreationTimeBefore) &&
    within(listed.lastModifiedAt, request.LastModifiedTimeAfter, request.LastModifiedTimeBefore);

  function* matching(): Iterable<{ item: T; listed: Listed }> {
    for (const item of items) {
      const listed = describe(item);
      if (matches(listed)) yield { item, listed };
    }
  }
  const sortKey = ({ listed }: { listed: Listed }): SortKey => [
    sortBy === 'Name' ? listed.name : sortBy === 'Status' ? (listed.status ?? '') : listed.createdAt,
    listed.name,
    listed.version ?? 0,
  ];
  const { page, nextToken } = sortedPage(
    matching(),
    sortKey,
    {
      listing: `${listing}:${sortBy}`,
      descending: (request.SortOrder ?? defaultSortOrder) === 'Descending',
      limit: request.MaxResults ?? DEFAULT_MAX_RESULTS,
      token: request.NextToken,
    },
    () => validationError('Invalid pagination token'),
  );
  return { page: page.map(({ item }) => item), nextToken };
}
