// CloudWatch Logs GetLogEvents: Lists log events from the specified log stream.
import type { GetLogEventsCommandInput, GetLogEventsCommandOutput, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { takeWithinBudget } from './batchLimits';
import { invalidNextToken } from './errors';
import { readEvents, type StoredEvent } from './logEvents';
import { requireLogGroup } from './logGroups';
import { requireLogStream } from './logStreams';

const DEFAULT_LIMIT = 10_000;

/**
 * Tokens are positions between events: `f/P` reads forward from event P, `b/P` backward from just
 * before it. Without a token, reads start at the head (startFromHead) or end back from the tail. The
 * next tokens point past the last event returned and before the first; a read that finds nothing
 * returns the position it started from, so at the end of the stream the same token comes back.
 */
export async function getLogEvents(input: GetLogEventsCommandInput, context: RequestContext): Promise<OperationOutput<GetLogEventsCommandOutput>> {
  const group = requireLogGroup(context, input);
  const stream = requireLogStream(context, group.name, input.logStreamName ?? '');
  const start =
    input.nextToken === undefined
      ? input.startFromHead
        ? { direction: 'forward' as const, position: 0 }
        : { direction: 'backward' as const, position: stream.eventCount }
      : parseToken(input.nextToken, stream.eventCount);
  // endTime is exclusive here (FilterLogEvents includes it).
  const window = { from: input.startTime, to: input.endTime === undefined ? undefined : input.endTime - 1 };

  const read = takeWithinBudget(readEvents(context, group.name, stream, start.position, start.direction, window), input.limit ?? DEFAULT_LIMIT);
  const events = start.direction === 'forward' ? read : read.reverse();
  const first = events.at(0);
  const last = events.at(-1);
  return {
    events: events.map(toOutput),
    nextForwardToken: token('f', last ? last.position + 1 : start.position),
    nextBackwardToken: token('b', first ? first.position : start.position),
  };
}

function toOutput({ timestamp, message, ingestionTime }: StoredEvent): OutputLogEvent {
  return { timestamp, message, ingestionTime };
}

/** Shaped like AWS's tokens: a direction and 56 digits. */
function token(direction: 'f' | 'b', position: number): string {
  return `${direction}/${String(position).padStart(56, '0')}`;
}

function parseToken(text: string, eventCount: number): { direction: 'forward' | 'backward'; position: number } {
  const match = /^([fb])\/(\d{56})$/.exec(text);
  const position = match ? Number(match[2]) : NaN;
  if (!match || !(position <= eventCount)) throw invalidNextToken();
  return { direction: match[1] === 'f' ? 'forward' : 'backward', position };
}
