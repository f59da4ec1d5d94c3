// FilterLogEvents' filter patterns through the real CloudWatch Logs client: JSON patterns, regular
// expressions, space-delimited patterns and terms, and AWS's refusal of patterns that do not parse.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';

const GROUP = '/filters';
const APP = [
  { level: 'ERROR', latency: 250, path: '/api/train', user: { id: null }, ok: false, tags: ['gpu', 'spot'], message: 'request timed out' },
  { level: 'INFO', latency: 50, path: '/api/health', user: { id: 7, email: 'a@b.c' }, ok: true, tags: ['cpu'], message: 'ok' },
  { level: 'WARN', latency: 120.5, path: '/static/app.js', ip: '10.0.0.8', message: 'slow' },
].map((event) => JSON.stringify(event));
const PLAIN = ['ERROR 503 upstream unavailable', 'WARN 404 not found'];
const ACCESS = [
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
  '10.0.0.2 - - [10/Oct/2000:13:56:01 -0700] "POST /invocations HTTP/1.1" 200 512',
  '10.0.0.3 - bob [10/Oct/2000:13:57:12 -0700] "GET /ping HTTP/1.1" 410 0',
];

describe('CloudWatch Logs filter patterns', () => {
  let emulator: TestEmulator;
  let logs: CloudWatchLogsClient;
  before(async () => {
    emulator = await startTestEmulator();
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const start = Date.now() - 60_000;
    for (const [stream, messages, offset] of [['app', [...APP, ...PLAIN], 0], ['access', ACCESS, 10]] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: stream,
          logEvents: messages.map((message, index) => ({ timestamp: start + offset + index, message })),
        }),
      );
    }
  });
  after(async () => {
    logs.destroy();
    await emulator.close();
  });

  const matching = async (filterPattern: string) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }))).events?.map((event) => event.message);

  it('matches JSON events by field: strings, numbers, &&, || and parentheses', async () => {
    assert.deepEqual(await matching('{ $.level = "ERROR" }'), [APP[0]]);
    assert.deepEqual(await matching('{ $.latency > 100 }'), [APP[0], APP[2]]);
    assert.deepEqual(await matching('{ $.latency = 50 }'), [APP[1]]);
    assert.deepEqual(await matching('{$.level="ERROR" && $.latency>100}'), [APP[0]]);
    assert.deepEqual(await matching('{ $.level = "WARN" || $.latency < 100 }'), [APP[1], APP[2]]);
    assert.deepEqual(await matching('{ $.latency >= 120.5 && $.latency <= 250 }'), [APP[0], APP[2]]);
    assert.deepEqual(await matching('{ ($.level = "WARN" || $.level = "INFO") && $.ok IS TRUE }'), [APP[1]]);
    assert.deepEqual(await matching('{ $.tags[1] = "spot" }'), [APP[0]]);
  });

  it('matches JSON nulls, missing fields, wildcards and regular expressions', async () => {
    assert.deepEqual(await matching('{ $.user.id IS NULL }'), [APP[0]]);
    assert.deepEqual(await matching('{ $.user.email NOT EXISTS }'), [APP[0], APP[2]], 'only JSON events: the plain ones never match');
    assert.deepEqual(await matching('{ $.ok IS FALSE }'), [APP[0]]);
    assert.deepEqual(await matching('{ $.path = "/api/*" }'), [APP[0], APP[1]]);
    assert.deepEqual(await matching('{ $.path != "/api/*" }'), [APP[2]]);
    assert.deepEqual(await matching('{ $.ip = 10.0.* }'), [APP[2]]);
    assert.deepEqual(await matching('{ $.message = %timed? out% }'), [APP[0]]);
  });

  it('matches a regular expression anywhere in the message', async () => {
    assert.deepEqual(await matching('%[A-Z]+ 50[0-9]%'), [PLAIN[0]]);
    assert.deepEqual(await matching('%^WARN%'), [PLAIN[1]]);
  });

  it('matches space-delimited fields, with "…" and […] as one field each', async () => {
    assert.deepEqual(await matching('[ip, identity, user, timestamp, request = "GET *", status = 4*, bytes > 1000]'), [ACCESS[0]]);
    assert.deepEqual(await matching('[..., status = 404 || status = 410, bytes]'), [ACCESS[0], ACCESS[2]]);
    assert.deepEqual(await matching('[ip = 10.*, ...]'), [ACCESS[1], ACCESS[2]]);
    assert.deepEqual(await matching('[..., bytes < 1]'), [ACCESS[2]]);
    assert.deepEqual(await matching('[ip, identity]'), [], 'the columns must cover every field');
  });

  it('matches terms, quoted when they hold other characters than letters and digits', async () => {
    assert.deepEqual(await matching('?"timed out" ?unavailable'), [APP[0], PLAIN[0]]);
    assert.deepEqual(await matching('"a@b.c"'), [APP[1]]);
    const unquoted = await rejection(matching('a@b.c'));
    assert.equal(unquoted.name, 'InvalidParameterException');
    assert.equal(unquoted.message, "Invalid filter pattern: Invalid character(s) in term 'a@b.c'");
    const empty = await rejection(matching('""'));
    assert.equal(empty.message, `Invalid filter pattern: Invalid character(s) in term '""'`);
  });

  it('refuses patterns that do not parse, as AWS words it', async () => {
    const unclosed = await rejection(matching('{ $.level = "ERROR"'));
    assert.equal(unclosed.name, 'InvalidParameterException');
    assert.equal(unclosed.$metadata.httpStatusCode, 400);
    assert.equal(unclosed.message, "If a filter pattern starts with '{' it must end with '}'");
    for (const pattern of [
      '{ $.level ERROR }',
      '{ level = "ERROR" }',
      '{ $.latency > "slow" }',
      '{ $.a = %x% && $.b = %y% && $.c = %z% }',
      '%(ERROR|WARN)%',
      '[a, ..., b, ...]',
      '[a = 1 && b = 2]',
    ]) {
      const refused = await rejection(matching(pattern));
      assert.equal(`${refused.name}: ${refused.message}`, 'InvalidParameterException: Invalid filter pattern', pattern);
    }
  });
});
