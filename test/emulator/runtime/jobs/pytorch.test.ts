// Real PyTorch: a DistributedDataParallel script over gloo, as SageMaker's PyTorch examples write it,
// submitted as the SDK's PyTorch estimator submits it, trains on 2 hosts that meet at algo-1:7777 —
// the PyTorch container's MASTER_ADDR and MASTER_PORT — each in its own /opt/ml. Needs Debian's
// python3-torch (`.ci/setup` installs it); skipped, saying so, where it is missing.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator } from '../../../../emulator/server';
import { BUCKET, expectedMasterPorts, frameworkJob, hostLogs, uploadSourceDir } from '../../frameworkJobs';
import { archiveFiles } from '../../runtimeTestHelpers';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';
import { FAST_TIMING, FIXTURES, finishedTrainingJob } from '../../runtimeTestHelpers';

const PYTORCH_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-cpu-py311';
const PYTHON = '/usr/bin/python3';
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 120_000 }).status !== 0;

describe('a PyTorch DDP script', () => {
  it('trains with gloo on 2 hosts meeting at algo-1:7777, every host ending with the same weights', { skip: torchMissing && `${PYTHON} cannot import torch: apt-get install python3-torch (.ci/setup does)` }, async () => {
    const dataDir = makeTempDir('pytorch-ddp');
    writeFileSync(path.join(dataDir.path, 'images.json'), JSON.stringify({ images: { [PYTORCH_IMAGE.split(':')[0]]: { command: [PYTHON] } } }));
    const emulatorLog: string[] = [];
    const emulator = await startEmulator({ dataDir: dataDir.path, runtime: { timing: FAST_TIMING }, log: (line) => emulatorLog.push(line) });
    const s3: S3Client = s3Client(emulator.url);
    const sageMaker: SageMakerClient = sagemakerClient(emulator.url);
    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/training/unused.txt', Body: 'the data is synthetic' }));
      await uploadSourceDir(s3, 'pytorch-ddp', path.join(FIXTURES, 'pytorch-ddp'));
      await sageMaker.send(
        new CreateTrainingJobCommand(
          frameworkJob('pytorch-ddp', PYTORCH_IMAGE, { backend: 'gloo', epochs: 5, lr: 0.1 }, { ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 } }),
        ),
      );
      const job = await finishedTrainingJob(sageMaker, 'pytorch-ddp');
      assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
      const byHost = await hostLogs(logs, 'pytorch-ddp');
      const weights = new Set<string>();
      // 7777, or the port the emulator names when another job on this machine held 7777 at the time.
      const [port] = expectedMasterPorts(emulatorLog, 'pytorch-ddp');
      for (const [host, lines] of byHost) {
        const rank = host === 'algo-1' ? 0 : 1;
        assert.ok(
          lines.includes(`Initialized the distributed environment: gloo backend on 2 nodes. Current host rank is ${rank}, master algo-1:${port}`),
          `${host}:\n${lines.join('\n')}`,
        );
        assert.ok(lines.some((line) => line.startsWith(`epoch=5 rank=${rank} loss=`)), `${host}:\n${lines.join('\n')}`);
        weights.add(lines.find((line) => line.startsWith('weights sha256='))!);
      }
      assert.equal(byHost.size, 2);
      assert.equal(weights.size, 1, `DDP keeps both hosts' weights equal: ${[...weights].join(', ')}`);
      assert.ok((await archiveFiles(s3, BUCKET, 'pytorch-ddp/output/model.tar.gz')).has('model.pth'));
    } finally {
      for (const client of [s3, sageMaker, logs]) client.destroy();
      await emulator.close();
      dataDir.remove();
    }
  });
});
