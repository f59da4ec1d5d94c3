// The List* conventions SageMaker's resources share: NameContains, time windows, StatusEquals, SortBy
// (Name | CreationTime | Status), SortOrder, MaxResults and an opaque NextToken.
import { validationError } from '../../errors';
import { decodePageToken, encodePageToken } from '../../pageTokens';

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
  lastModifiedAt: number;
  status?: string;
}

const DEFAULT_MAX_RESULTS = 10;

/** One page of `items`, filtered and sorted as the request says (default: newest first). */
export function listPage<T>(
  listing: string,
  items: readonly T[],
  describe: (item: T) => Listed,
  request: ListRequest,
): { page: T[]; nextToken?: string } {
  const sortBy = request.SortBy ?? 'CreationTime';
  const direction = request.SortOrder === 'Ascending' ? 1 : -1;
  const sortKey = (listed: Listed): [string | number, string] => [
    sortBy === 'Name' ? listed.name : sortBy === 'Status' ? (listed.status ?? '') : listed.createdAt,
    listed.name,
  ];
  const compare = (a: [string | number, string], b: [string | number, string]) =>
    direction * (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

  // The token carries the sort it was made for and the sort key of the last item returned.
  const tokenListing = `${listing}:${sortBy}:${direction}`;
  let after: [string | number, string] | undefined;
  if (request.NextToken !== undefined) {
    const position = decodePageToken(tokenListing, request.NextToken);
    if (!position || position.length !== 2) throw validationError('Invalid pagination token');
    after = [sortBy === 'CreationTime' ? Number(position[0]) : position[0], position[1]];
  }

  const nameContains = request.NameContains?.toLowerCase();
  const within = (time: number, from?: Date, to?: Date) =>
    (from === undefined || time > from.getTime()) && (to === undefined || time < to.getTime());
  const matching = items
    .map((item) => ({ item, listed: describe(item) }))
    .filter(
      ({ listed }) =>
        (nameContains === undefined || listed.name.toLowerCase().includes(nameContains)) &&
        (request.StatusEquals === undefined || listed.status === request.StatusEquals) &&
        within(listed.createdAt, request.CreationTimeAfter, request.CreationTimeBefore) &&
        within(listed.lastModifiedAt, request.LastModifiedTimeAfter, request.LastModifiedTimeBefore) &&
        (after === undefined || compare(sortKey(listed), after) > 0),
    )
    .sort((a, b) => compare(sortKey(a.listed), sortKey(b.listed)));

  const page = matching.slice(0, request.MaxResults ?? DEFAULT_MAX_RESULTS);
  const last = page.at(-1);
  const nextToken =
    matching.length > page.length && last ? encodePageToken(tokenListing, sortKey(last.listed).map(String)) : undefined;
  return { page: page.map(({ item }) => item), nextToken };
}
