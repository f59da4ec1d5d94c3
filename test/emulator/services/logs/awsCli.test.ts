// CloudWatch Logs through a second, independent client: the AWS CLI.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli } from '../../awsCli';
import { startTestEmulator, type TestEmulator } from '../../helpers';

describe('AWS CLI: logs', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('creates a group and a stream, puts events, reads and filters them', async () => {
    const aws = (...args: string[]) => awsCli(emulator.url, emulator.root, 'logs', ...args);
    await aws('create-log-group', '--log-group-name', '/cli/group');
    await aws('create-log-stream', '--log-group-name', '/cli/group', '--log-stream-name', 'algo-1');
    const now = Date.now();
    const events = JSON.stringify([
      { timestamp: now, message: 'epoch 1 loss=0.9' },
      { timestamp: now + 1, message: 'epoch 2 loss=0.5' },
    ]);
    const put = JSON.parse(await aws('put-log-events', '--log-group-name', '/cli/group', '--log-stream-name', 'algo-1', '--log-events', events)) as {
      nextSequenceToken: string;
    };
    assert.match(put.nextSequenceToken, /^\d{56}$/);

    const read = JSON.parse(await aws('get-log-events', '--log-group-name', '/cli/group', '--log-stream-name', 'algo-1', '--start-from-head')) as {
      events: { message: string }[];
    };
    assert.deepEqual(read.events.map((event) => event.message), ['epoch 1 loss=0.9', 'epoch 2 loss=0.5']);

    // The CLI pages FilterLogEvents by itself until nextToken is absent.
    const filtered = JSON.parse(await aws('filter-log-events', '--log-group-name', '/cli/group', '--filter-pattern', '"epoch 2"')) as {
      events: { logStreamName: string; message: string }[];
    };
    assert.deepEqual(filtered.events.map((event) => [event.logStreamName, event.message]), [['algo-1', 'epoch 2 loss=0.5']]);
  });
});
