// The checkpoint sync against the emulator's S3: what a host's folder held from S3 when the job
// started is not sent back unless it changes, so one host's untouched copy of another host's
// checkpoint cannot land over that host's newer upload; a file the host changes still is sent.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CheckpointSync } from '../../../../emulator/runtime/jobs/checkpointSync';
import { makeTempDir } from '../../../../harness/emulatorClients';
import { startTestEmulator, type TestEmulator } from '../../helpers';

describe('checkpoint sync', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'checkpoints' }));
  });
  after(() => emulator.close());

  const text = async (key: string) => (await emulator.s3.send(new GetObjectCommand({ Bucket: 'checkpoints', Key: key }))).Body!.transformToString();

  it("sends what was downloaded only once it changed: another host's newer upload is kept", async () => {
    const dir = makeTempDir('checkpoint-sync');
    try {
      // algo-2's folder holds algo-1's checkpoint as downloaded at the start (step 7) and its own.
      writeFileSync(path.join(dir.path, 'state-algo-1.json'), '{"step":7}');
      writeFileSync(path.join(dir.path, 'state-algo-2.json'), '{"step":7}');
      const sync = new CheckpointSync(emulator.s3, dir.path, { bucket: 'checkpoints', key: 'job/' }, (error) => assert.fail(error));
      await sync.recordDownloaded();
      sync.start(5);
      // Meanwhile algo-1 uploads its newer checkpoint; algo-2 writes its own next step.
      await emulator.s3.send(new PutObjectCommand({ Bucket: 'checkpoints', Key: 'job/state-algo-1.json', Body: '{"step":10}' }));
      writeFileSync(path.join(dir.path, 'state-algo-2.json'), '{"step":10}');
      await sync.finish();
      assert.equal(await text('job/state-algo-1.json'), '{"step":10}', "algo-1's newer checkpoint was not overwritten by algo-2's copy");
      assert.equal(await text('job/state-algo-2.json'), '{"step":10}', "algo-2's own changed checkpoint was sent");
    } finally {
      dir.remove();
    }
  });
});
