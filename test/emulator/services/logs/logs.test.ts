// Emulator tests (a running emulator, the real AWS SDK v3 clients) of CloudWatch Logs.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type InputLogEvent,
  paginateDescribeLogGroups,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';
import { allPages } from '../../../../harness/waiting';

const HOUR = 3_600_000;

describe('CloudWatch Logs', () => {
  let emulator: TestEmulator;
  let logs: CloudWatchLogsClient;
  before(async () => {
    emulator = await startTestEmulator();
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
  });
  after(async () => {
    logs.destroy();
    await emulator.close();
  });

  const createGroup = (name: string) => logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  const createStream = (group: string, stream: string) => logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  const put = (group: string, stream: string, logEvents: InputLogEvent[]) =>
    logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
  /** `count` events one millisecond apart, from `start`, messages `line 0`, `line 1`, … */
  const lines = (count: number, start: number, prefix = 'line'): InputLogEvent[] =>
    Array.from({ length: count }, (_, index) => ({ timestamp: start + index, message: `${prefix} ${index}` }));

  describe('groups and streams', () => {
    it('creates a group once, and streams in it once', async () => {
      await createGroup('/test/unique');
      const again = await rejection(createGroup('/test/unique'));
      assert.equal(again.name, 'ResourceAlreadyExistsException');
      assert.equal(again.$metadata.httpStatusCode, 400);
      assert.equal(again.message, 'The specified log group already exists');

      await createStream('/test/unique', 'stream');
      const streamAgain = await rejection(createStream('/test/unique', 'stream'));
      assert.equal(streamAgain.name, 'ResourceAlreadyExistsException');
      assert.equal(streamAgain.message, 'The specified log stream already exists');

      const noGroup = await rejection(createStream('/test/missing', 'stream'));
      assert.equal(noGroup.name, 'ResourceNotFoundException');
      assert.equal(noGroup.$metadata.httpStatusCode, 400);
      assert.equal(noGroup.message, 'The specified log group does not exist.');
    });

    it('validates as CloudWatch Logs does: InvalidParameterException, in AWS words', async () => {
      const badName = await rejection(createStream('/test/unique', 'a:b'));
      assert.equal(badName.name, 'InvalidParameterException');
      assert.equal(
        badName.message,
        "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
      );
      const tooMany = await rejection(logs.send(new DescribeLogGroupsCommand({ limit: 51 })));
      assert.equal(tooMany.message, "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
    });

    it('describes groups ASCII-sorted, by prefix or pattern, and pages to the end', async () => {
      const names = ['/paged/b', '/paged/a', '/paged/C', '/paged/d-1', '/paged/d-2'];
      for (const name of names) await createGroup(name);
      const seen: string[] = [];
      for (const page of await allPages('log groups under /paged/', paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: '/paged/' }), 4)) {
        assert.ok((page.logGroups?.length ?? 0) <= 2);
        seen.push(...(page.logGroups ?? []).map((group) => group.logGroupName ?? ''));
      }
      assert.deepEqual(seen, [...names].sort());

      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/paged/a' }));
      assert.equal(logGroups?.length, 1);
      const [group] = logGroups ?? [];
      assert.equal(group.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/paged/a:*');
      assert.equal(group.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/paged/a');
      assert.equal(group.storedBytes, 0);
      assert.equal(group.logGroupClass, 'STANDARD');
      assert.ok(typeof group.creationTime === 'number' && group.creationTime > 0);

      const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'd-' }));
      assert.deepEqual(byPattern.logGroups, [
        { logGroupName: '/paged/d-1', arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/paged/d-1:*', creationTime: byPattern.logGroups?.[0].creationTime },
        { logGroupName: '/paged/d-2', arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/paged/d-2:*', creationTime: byPattern.logGroups?.[1].creationTime },
      ]);
      const both = await rejection(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/', logGroupNamePattern: 'x' })));
      assert.equal(both.name, 'InvalidParameterException');
      const forged = await rejection(logs.send(new DescribeLogGroupsCommand({ nextToken: 'forged' })));
      assert.equal(forged.name, 'InvalidParameterException');
    });

    it('describes streams by name or by last event time, either way, by prefix, and pages to the end', async () => {
      await createGroup('/streams');
      const now = Date.now();
      // Created in name order; their last events in the opposite order.
      for (const [index, name] of ['algo-1', 'algo-2', 'algo-3', 'other'].entries()) {
        await createStream('/streams', name);
        await put('/streams', name, [{ timestamp: now - index * 1000, message: name }]);
      }
      const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', logStreamNamePrefix: 'algo-' }));
      assert.deepEqual(byName.logStreams?.map((stream) => stream.logStreamName), ['algo-1', 'algo-2', 'algo-3']);
      const [first] = byName.logStreams ?? [];
      assert.equal(first.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/streams:log-stream:algo-1');
      assert.equal(first.firstEventTimestamp, now);
      assert.equal(first.lastEventTimestamp, now);
      assert.ok((first.lastIngestionTime ?? 0) >= now - 1000);
      assert.equal(first.storedBytes, 0);

      const latestFirst = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', orderBy: 'LastEventTime', descending: true }));
      assert.deepEqual(latestFirst.logStreams?.map((stream) => stream.logStreamName), ['algo-1', 'algo-2', 'algo-3', 'other']);
      const seen: string[] = [];
      for (const page of await allPages('the streams of /streams', paginateDescribeLogStreams({ client: logs, pageSize: 3 }, { logGroupName: '/streams', descending: true }), 3)) {
        seen.push(...(page.logStreams ?? []).map((stream) => stream.logStreamName ?? ''));
      }
      assert.deepEqual(seen, ['other', 'algo-3', 'algo-2', 'algo-1']);

      const conflict = await rejection(
        logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', orderBy: 'LastEventTime', logStreamNamePrefix: 'algo' })),
      );
      assert.equal(conflict.name, 'InvalidParameterException');
      assert.equal(conflict.message, 'Cannot order by LastEventTime with a logStreamNamePrefix.');
      const identifier = await logs.send(
        new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:/streams', limit: 1 }),
      );
      assert.equal(identifier.logStreams?.[0].logStreamName, 'algo-1');
      const neither = await rejection(logs.send(new DescribeLogStreamsCommand({})));
      assert.equal(neither.name, 'InvalidParameterException');
    });

    it('deletes a group with its streams and events', async () => {
      await createGroup('/doomed');
      await createStream('/doomed', 's');
      await put('/doomed', 's', lines(3, Date.now()));
      await logs.send(new DeleteLogGroupCommand({ logGroupName: '/doomed' }));
      assert.equal((await rejection(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/doomed' })))).name, 'ResourceNotFoundException');
      await createGroup('/doomed');
      await createStream('/doomed', 's');
      const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: '/doomed', logStreamName: 's' }));
      assert.deepEqual(events, [], 'a new group of the same name starts empty');
    });
  });

  describe('PutLogEvents', () => {
    before(async () => {
      await createGroup('/put');
      await createStream('/put', 'stream');
    });

    it('stores a batch, ignoring any sequence token, and hands out a new one', async () => {
      const now = Date.now();
      const first = await logs.send(
        new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 'stream', logEvents: lines(2, now), sequenceToken: 'anything' }),
      );
      assert.match(first.nextSequenceToken ?? '', /^\d{56}$/);
      assert.equal(first.rejectedLogEventsInfo, undefined);
      const second = await put('/put', 'stream', lines(1, now + 5));
      assert.notEqual(second.nextSequenceToken, first.nextSequenceToken);
    });

    it('rejects too old and too new events but stores the rest', async () => {
      await createStream('/put', 'edges');
      const now = Date.now();
      const result = await put('/put', 'edges', [
        { timestamp: now - 15 * 24 * HOUR, message: 'too old' },
        { timestamp: now - 14 * 24 * HOUR - 1000, message: 'too old too' },
        { timestamp: now, message: 'kept' },
        { timestamp: now + 3 * HOUR, message: 'too new' },
      ]);
      assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 3 });
      const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 'edges', startFromHead: true }));
      assert.deepEqual(events?.map((event) => event.message), ['kept']);
    });

    it('refuses batches out of order, spanning over 24 hours or over 1 MiB, and unknown streams', async () => {
      const now = Date.now();
      const unordered = await rejection(put('/put', 'stream', [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }]));
      assert.equal(unordered.name, 'InvalidParameterException');
      assert.equal(unordered.message, 'Log events in a single PutLogEvents request must be in chronological order.');

      const span = await rejection(put('/put', 'stream', [{ timestamp: now - 25 * HOUR, message: 'a' }, { timestamp: now, message: 'b' }]));
      assert.equal(span.message, 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');

      const big = 'x'.repeat(100_000);
      const tooLarge = await rejection(put('/put', 'stream', Array.from({ length: 11 }, () => ({ timestamp: now, message: big }))));
      assert.equal(tooLarge.name, 'InvalidParameterException');
      assert.equal(tooLarge.message, `Upload too large: ${11 * 100_026} bytes exceeds limit of 1048576`);

      const noStream = await rejection(put('/put', 'missing', lines(1, now)));
      assert.equal(noStream.name, 'ResourceNotFoundException');
      assert.equal(noStream.message, 'The specified log stream does not exist.');
      const empty = await rejection(put('/put', 'stream', []));
      assert.equal(empty.name, 'InvalidParameterException');
    });
  });

  describe('GetLogEvents', () => {
    const start = Date.now() - HOUR;
    const get = (input: { nextToken?: string; startFromHead?: boolean; limit?: number; startTime?: number; endTime?: number }) =>
      logs.send(new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'stream', ...input }));
    const messages = (page: { events?: { message?: string }[] }) => page.events?.map((event) => event.message);

    before(async () => {
      await createGroup('/get');
      await createStream('/get', 'stream');
      // 25 events in three batches (three chunks).
      await put('/get', 'stream', lines(10, start).slice(0, 10));
      await put('/get', 'stream', lines(20, start).slice(10, 20));
      await put('/get', 'stream', lines(25, start).slice(20, 25));
    });

    it('reads from the head forward, page by page, until the same forward token comes back', async () => {
      const pages: string[][] = [];
      for (const page of await allPages(
        'the events of /get',
        paginateGetLogEvents({ client: logs, pageSize: 10, stopOnSameToken: true }, { logGroupName: '/get', logStreamName: 'stream', startFromHead: true }),
        5,
      )) {
        pages.push((messages(page) ?? []) as string[]);
      }
      assert.deepEqual(pages.map((page) => page.length), [10, 10, 5, 0]);
      assert.deepEqual(pages.flat(), lines(25, start).map((event) => event.message));

      const tail = await get({ startFromHead: true, limit: 25 });
      assert.match(tail.nextForwardToken ?? '', /^f\/\d{56}$/);
      assert.match(tail.nextBackwardToken ?? '', /^b\/\d{56}$/);
      const end = await get({ nextToken: tail.nextForwardToken });
      assert.deepEqual(end.events, []);
      assert.equal(end.nextForwardToken, tail.nextForwardToken, 'at the end of the stream the same forward token comes back');
    });

    it('by default returns the latest events, then pages backward to the start', async () => {
      const latest = await get({ limit: 10 });
      assert.deepEqual(messages(latest), lines(25, start).slice(15).map((event) => event.message));
      const earlier = await get({ nextToken: latest.nextBackwardToken, limit: 10 });
      assert.deepEqual(messages(earlier), lines(25, start).slice(5, 15).map((event) => event.message));
      const earliest = await get({ nextToken: earlier.nextBackwardToken, limit: 10 });
      assert.deepEqual(messages(earliest), lines(25, start).slice(0, 5).map((event) => event.message));
      const before = await get({ nextToken: earliest.nextBackwardToken, limit: 10 });
      assert.deepEqual(before.events, []);
      assert.equal(before.nextBackwardToken, earliest.nextBackwardToken, 'at the start the same backward token comes back');
      // Forward from a backward page continues right after it.
      const next = await get({ nextToken: earliest.nextForwardToken, limit: 3 });
      assert.deepEqual(messages(next), ['line 5', 'line 6', 'line 7']);
    });

    it('follows new events with the forward token of the last read', async () => {
      await createStream('/get', 'live');
      const first = await logs.send(new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'live' }));
      assert.deepEqual(first.events, []);
      await put('/get', 'live', lines(2, Date.now(), 'new'));
      const next = await logs.send(new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'live', nextToken: first.nextForwardToken }));
      assert.deepEqual(messages(next), ['new 0', 'new 1']);
      const event = next.events?.[0];
      assert.ok(typeof event?.ingestionTime === 'number' && event.ingestionTime >= (event.timestamp ?? 0) - 1000);
    });

    it('keeps to startTime (inclusive) and endTime (exclusive)', async () => {
      const window = await get({ startFromHead: true, startTime: start + 8, endTime: start + 12 });
      assert.deepEqual(messages(window), ['line 8', 'line 9', 'line 10', 'line 11']);
      const latestInWindow = await get({ startTime: start + 8, endTime: start + 12, limit: 2 });
      assert.deepEqual(messages(latestInWindow), ['line 10', 'line 11']);
    });

    it('refuses tokens it did not make', async () => {
      const error = await rejection(get({ nextToken: 'f/123' }));
      assert.equal(error.name, 'InvalidParameterException');
      assert.equal(error.message, 'The specified nextToken is invalid.');
      const missing = await rejection(logs.send(new GetLogEventsCommand({ logGroupName: '/get', logStreamName: 'nope' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
    });
  });

  describe('FilterLogEvents', () => {
    const start = Date.now() - HOUR;
    const filter = (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>) =>
      logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', ...input }));
    const messages = (page: { events?: { message?: string }[] }) => page.events?.map((event) => event.message);

    before(async () => {
      await createGroup('/filter');
      for (const stream of ['algo-1', 'algo-2', 'other']) await createStream('/filter', stream);
      await put('/filter', 'algo-1', [
        { timestamp: start, message: 'INFO starting' },
        { timestamp: start + 2, message: 'ERROR out of memory' },
        { timestamp: start + 4, message: 'WARN slow step' },
      ]);
      await put('/filter', 'algo-2', [
        { timestamp: start + 1, message: 'INFO starting' },
        { timestamp: start + 3, message: 'ERROR retrying after out of memory' },
      ]);
      await put('/filter', 'other', [{ timestamp: start + 5, message: 'ERROR elsewhere' }]);
    });

    it('interleaves the streams of the group by timestamp', async () => {
      const all = await filter({});
      assert.deepEqual(
        all.events?.map((event) => [event.logStreamName, event.message]),
        [
          ['algo-1', 'INFO starting'],
          ['algo-2', 'INFO starting'],
          ['algo-1', 'ERROR out of memory'],
          ['algo-2', 'ERROR retrying after out of memory'],
          ['algo-1', 'WARN slow step'],
          ['other', 'ERROR elsewhere'],
        ],
      );
      assert.equal(all.nextToken, undefined);
      const ids = all.events?.map((event) => event.eventId) ?? [];
      assert.ok(ids.every((id) => /^\d{56}$/.test(id ?? '')) && new Set(ids).size === ids.length, 'event ids are distinct');
    });

    it('matches terms, quoted phrases, ?alternatives and -exclusions, case-sensitively', async () => {
      assert.deepEqual(messages(await filter({ filterPattern: 'ERROR memory' })), ['ERROR out of memory', 'ERROR retrying after out of memory']);
      assert.deepEqual(messages(await filter({ filterPattern: '"out of memory" -retrying' })), ['ERROR out of memory']);
      assert.deepEqual(messages(await filter({ filterPattern: '?WARN ?elsewhere' })), ['WARN slow step', 'ERROR elsewhere']);
      assert.deepEqual(messages(await filter({ filterPattern: 'error' })), []);
      // These events are not JSON: a JSON pattern matches none of them (filter.test.ts has the rest).
      assert.deepEqual(messages(await filter({ filterPattern: '{ $.level = "ERROR" }' })), []);
    });

    it('keeps to the streams named, a stream prefix, and the time range (both ends included)', async () => {
      assert.deepEqual(messages(await filter({ logStreamNames: ['other'] })), ['ERROR elsewhere']);
      assert.deepEqual((await filter({ logStreamNamePrefix: 'algo-2' })).events?.length, 2);
      assert.deepEqual(messages(await filter({ startTime: start + 2, endTime: start + 3 })), ['ERROR out of memory', 'ERROR retrying after out of memory']);
      const both = await rejection(filter({ logStreamNames: ['other'], logStreamNamePrefix: 'algo' }));
      assert.equal(both.name, 'InvalidParameterException');
    });

    it('pages with nextToken to the end', async () => {
      const pages: string[][] = [];
      for (const page of await allPages('the events of /filter', paginateFilterLogEvents({ client: logs, pageSize: 4 }, { logGroupName: '/filter' }), 3)) {
        pages.push((messages(page) ?? []) as string[]);
      }
      assert.deepEqual(pages.map((page) => page.length), [4, 2]);
      const forged = await rejection(filter({ nextToken: 'forged' }));
      assert.equal(forged.name, 'InvalidParameterException');
    });
  });
});
