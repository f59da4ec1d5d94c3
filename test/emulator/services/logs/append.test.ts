// The in-process API the job runtimes log through: appendLogEvents on the emulator's store, then read
// back through the real SDK by an emulator started on the same data directory.
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, paginateGetLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator } from '../../../../emulator/server';
import { appendLogEvents, type LogEvent } from '../../../../emulator/services/logs/logEvents';
import { Store } from '../../../../emulator/store/store';
import { clientConfig, makeTempDir } from '../../../../harness/emulatorClients';
import { allPages } from '../../../../harness/waiting';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const GROUP = '/aws/sagemaker/TrainingJobs';
const STREAM = 'job-1/algo-1-1700000000';
const BATCHES = 100;
const LINES_PER_BATCH = 1000;

describe('appendLogEvents (the runtimes’ in-process logging)', () => {
  it('stores 100,000 lines in append-only chunks that survive a restart and read back in order', async () => {
    const dataDir = makeTempDir('emulator-logs');
    try {
      const storeDir = join(dataDir.path, 'store');
      const store = await Store.open(storeDir, { compactAfterBytes: Number.MAX_SAFE_INTEGER });
      const start = Date.now() - 3_600_000;
      let rawBytes = 0;
      for (let batch = 0; batch < BATCHES; batch++) {
        const events: LogEvent[] = Array.from({ length: LINES_PER_BATCH }, (_, index) => {
          const line = batch * LINES_PER_BATCH + index;
          return { timestamp: start + line, message: `step ${line} loss=${(1 / (line + 1)).toFixed(6)}` };
        });
        rawBytes += events.reduce((total, event) => total + event.message.length, 0);
        // The group and the stream are created by the first append, as SageMaker creates its own.
        await appendLogEvents({ store, ...SCOPE }, GROUP, STREAM, events);
      }
      await store.close();
      // Each append wrote only its own lines: the log grows linearly, never rewriting the stream.
      const logBytes = statSync(join(storeDir, 'wal.log')).size;
      assert.ok(logBytes < 3 * rawBytes, `the write-ahead log holds ${logBytes} bytes for ${rawBytes} bytes of messages`);

      const emulator = await startEmulator({ dataDir: dataDir.path });
      const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
      try {
        const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
        assert.equal(logStreams?.[0].logStreamName, STREAM);
        assert.equal(logStreams?.[0].lastEventTimestamp, start + BATCHES * LINES_PER_BATCH - 1);

        let count = 0;
        // GetLogEvents pages hold up to 10,000 events (1 MB): the bound leaves room for pages cut by size.
        const pages = paginateGetLogEvents({ client: logs, stopOnSameToken: true }, { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true });
        for (const page of await allPages(`the events of ${STREAM}`, pages, (BATCHES * LINES_PER_BATCH) / 1000 + 2)) {
          for (const event of page.events ?? []) {
            assert.equal(event.timestamp, start + count, 'in order, none missing');
            count += 1;
          }
        }
        assert.equal(count, BATCHES * LINES_PER_BATCH);

        const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 2 }));
        assert.deepEqual(tail.events?.map((event) => event.message), ['step 99998 loss=0.000010', 'step 99999 loss=0.000010']);
        const found = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"step 4242 "' }));
        assert.deepEqual(found.events?.map((event) => event.message), ['step 4242 loss=0.000236']);
      } finally {
        logs.destroy();
        await emulator.close();
      }
    } finally {
      dataDir.remove();
    }
  });
});
