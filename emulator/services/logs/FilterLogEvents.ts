// CloudWatch Logs FilterLogEvents: Lists log events from the specified log group.
import type { FilteredLogEvent, FilterLogEventsCommandInput, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { type PageRequest, sortedPage, tokenAfter } from '../paging';
import type { SortKey } from '../../store/orders';
import { takeWithinBudget } from './batchLimits';
import { invalidNextToken, invalidParameter } from './errors';
import { compileFilterPattern } from './filterPattern';
import { eventId, readEvents, type StoredEvent } from './logEvents';
import { requireLogGroup } from './logGroups';
import { allLogStreams, type LogStreamRecord } from './logStreams';

const DEFAULT_LIMIT = 10_000;

interface Match extends StoredEvent {
  stream: LogStreamRecord;
}

/** Events of the group's streams interleaved by timestamp (as AWS always does now), startTime and endTime included. */
export async function filterLogEvents(
  input: FilterLogEventsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<FilterLogEventsCommandOutput>> {
  const group = requireLogGroup(context, input);
  const { logStreamNames: names, logStreamNamePrefix: prefix } = input;
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const matches = compileFilterPattern(input.filterPattern);
  const streams = allLogStreams(context, group.name).filter(
    (stream) => (names === undefined || names.includes(stream.name)) && (prefix === undefined || stream.name.startsWith(prefix)),
  );
  const window = { from: input.startTime, to: input.endTime };
  function* matching(): Iterable<Match> {
    for (const stream of streams) {
      for (const event of readEvents(context, group.name, stream, 0, 'forward', window)) {
        if (matches(event.message)) yield { ...event, stream };
      }
    }
  }

  const sortKey = (match: Match): SortKey => [match.timestamp, match.stream.name, match.position];
  const request: PageRequest = {
    listing: `FilterLogEvents:${group.name}`,
    limit: input.limit ?? DEFAULT_LIMIT,
    token: input.nextToken,
  };
  const { page, nextToken } = sortedPage(matching(), sortKey, request, invalidNextToken);
  const returned = takeWithinBudget(page, request.limit);
  const last = returned.at(-1);
  return {
    events: returned.map(toFiltered),
    // A page cut short by the size limit continues after its last event.
    nextToken: returned.length < page.length && last ? tokenAfter(request, sortKey(last)) : nextToken,
    searchedLogStreams: [],
  };
}

function toFiltered({ stream, position, timestamp, message, ingestionTime }: Match): FilteredLogEvent {
  return { logStreamName: stream.name, timestamp, message, ingestionTime, eventId: eventId(stream, position) };
}
