// CloudWatch Logs PutLogEvents: Uploads a batch of log events to the specified log stream.
import type { PutLogEventsCommandInput, PutLogEventsCommandOutput, RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import type { OperationOutput, RequestContext } from '../../operations';
import { eventSize, MAX_BATCH_BYTES } from './batchLimits';
import { invalidParameter } from './errors';
import { appendLogEvents, type LogEvent } from './logEvents';
import { requireLogGroup } from './logGroups';
import { findLogStream, requireLogStream, sequenceToken } from './logStreams';

const HOUR = 3_600_000;
const MAX_AGE = 14 * 24 * HOUR;
const MAX_FUTURE = 2 * HOUR;
const MAX_SPAN = 24 * HOUR;

/**
 * As AWS: the batch must be in chronological order, within 1 MiB and spanning at most 24 hours; events
 * older than 14 days or more than 2 hours ahead are rejected (reported in rejectedLogEventsInfo) and
 * the rest stored. The sequence token is accepted and ignored.
 */
export async function putLogEvents(input: PutLogEventsCommandInput, context: RequestContext): Promise<OperationOutput<PutLogEventsCommandOutput>> {
  const group = requireLogGroup(context, { logGroupName: input.logGroupName });
  const streamName = input.logStreamName ?? '';
  requireLogStream(context, group.name, streamName);
  const events: LogEvent[] = (input.logEvents ?? []).map((event) => ({ timestamp: event.timestamp ?? 0, message: event.message ?? '' }));

  const bytes = events.reduce((total, event) => total + eventSize(event), 0);
  if (bytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  if (events.some((event, index) => index > 0 && event.timestamp < events[index - 1].timestamp)) {
    throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }

  const now = context.now();
  // In chronological order, the too old events are a prefix of the batch and the too new a suffix.
  const tooOldEnd = countWhile(events, (event) => event.timestamp < now.getTime() - MAX_AGE);
  const tooNewStart = tooOldEnd + countWhile(events.slice(tooOldEnd), (event) => event.timestamp <= now.getTime() + MAX_FUTURE);
  const accepted = events.slice(tooOldEnd, tooNewStart);
  if (accepted.length > 0 && accepted[accepted.length - 1].timestamp - accepted[0].timestamp > MAX_SPAN) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }

  await appendLogEvents(context, group.name, streamName, accepted, now);
  const rejected: RejectedLogEventsInfo = {
    ...(tooOldEnd > 0 && { tooOldLogEventEndIndex: tooOldEnd }),
    ...(tooNewStart < events.length && { tooNewLogEventStartIndex: tooNewStart }),
  };
  const stream = findLogStream(context, group.name, streamName);
  return {
    nextSequenceToken: stream && sequenceToken(stream),
    rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
  };
}

function countWhile<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  const index = items.findIndex((item) => !predicate(item));
  return index === -1 ? items.length : index;
}
