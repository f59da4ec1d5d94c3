// Two training paths the main runtime tests do not take: a managed spot job that runs out of
// MaxWaitTimeInSeconds after a reclaim ends MaxWaitTimeExceeded, and a 2-host job where one host
// fails ends Failed with that host's reason, its other host stopped. All through the real SDK.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, type CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { running } from '../../processes';
import { until } from '../../../../harness/waiting';
import { FAST_TIMING, FIXTURES, finishedTrainingJob, hostLogLines, jobLogLines, startJobEmulator, type JobEmulator } from '../../runtimeTestHelpers';

const BUCKET = 'training-paths';
const LOG_GROUP = '/aws/sagemaker/TrainingJobs';

function nodeJob(name: string, script: string, overrides: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/node:20', TrainingInputMode: 'File', ContainerArguments: [path.join(FIXTURES, script)] },
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 120 },
    ...overrides,
  };
}

describe('training runtime paths', () => {
  let jobs: JobEmulator;
  before(async () => {
    jobs = await startJobEmulator('training-paths', BUCKET, { maxConcurrentJobs: 2, timing: { ...FAST_TIMING, spotRestartDelayMs: 2000 } });
  });
  after(() => jobs.close());

  it('ends a reclaimed managed spot job that runs past MaxWaitTimeInSeconds after its restart: MaxWaitTimeExceeded', async () => {
    // 8 s of waiting and running together: the reclaim comes within the first seconds, the restart
    // 2 s later, so the wait limit falls in the restarted attempt, well before its own 8 s of MaxRuntime.
    await jobs.sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('spot-out-of-time', 'counter.js', {
          HyperParameters: { steps: '100000', step_ms: '100' },
          CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/spot-out-of-time/` },
          EnableManagedSpotTraining: true,
          StoppingCondition: { MaxRuntimeInSeconds: 8, MaxWaitTimeInSeconds: 8 },
        }),
      ),
    );
    await until('a spot checkpoint', async () => {
      try {
        await jobs.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'checkpoints/spot-out-of-time/state.json' }));
        return true;
      } catch {
        return undefined;
      }
    });
    const fault = await fetch(`${jobs.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'spot-interruption', trainingJobName: 'spot-out-of-time' }),
    });
    assert.equal(fault.status, 200, await fault.text());
    const job = await finishedTrainingJob(jobs.sageMaker, 'spot-out-of-time');
    assert.equal(job.TrainingJobStatus, 'Stopped', job.FailureReason);
    assert.equal(job.SecondaryStatus, 'MaxWaitTimeExceeded');
    const statuses = job.SecondaryStatusTransitions?.map((transition) => transition.Status) ?? [];
    assert.ok(statuses.indexOf('Restarting') > statuses.indexOf('Interrupted') && statuses.includes('Interrupted'), statuses.join(' → '));
    assert.ok((await jobLogLines(jobs.logs, LOG_GROUP, 'spot-out-of-time')).some((line) => line.startsWith('resumed from step ')));
  });

  it('fails a 2-host job with the reason of the host that failed, and stops the other host', async () => {
    await jobs.sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('one-host-fails', 'one-host-fails.js', { ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 } }),
      ),
    );
    const job = await finishedTrainingJob(jobs.sageMaker, 'one-host-fails');
    assert.equal(job.TrainingJobStatus, 'Failed');
    assert.equal(job.FailureReason, 'AlgorithmError: algo-2 lost its shard (on purpose)');
    // The failing host's own log: it met algo-1 (whose pid it logged) before failing.
    const line = (await hostLogLines(jobs.logs, LOG_GROUP, 'one-host-fails')).get('algo-2')?.find((text) => text.startsWith('peer pid='));
    assert.ok(line, 'algo-2 met algo-1 before failing');
    assert.ok(!running(Number(line.slice('peer pid='.length))), 'the host that did not fail was stopped');
  });

  it('downloads just the objects a ManifestFile channel names', async () => {
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await jobs.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `corpus/${name}`, Body: name }));
    const manifest = JSON.stringify([{ prefix: `s3://${BUCKET}/corpus/` }, 'a.txt', 'c.txt']);
    await jobs.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'manifests/train.manifest', Body: manifest }));
    await jobs.sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('from-manifest', 'counter.js', {
          AlgorithmSpecification: {
            TrainingInputMode: 'File',
            TrainingImage: 'sagemaker-emulator/node:20',
            ContainerEntrypoint: [process.execPath, '-e', "console.log('files=' + require('fs').readdirSync(process.env.SM_CHANNEL_TRAIN).sort().join(','))"],
          },
          InputDataConfig: [
            { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: `s3://${BUCKET}/manifests/train.manifest` } } },
          ],
        }),
      ),
    );
    const job = await finishedTrainingJob(jobs.sageMaker, 'from-manifest');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    assert.ok((await jobLogLines(jobs.logs, LOG_GROUP, 'from-manifest')).includes('files=a.txt,c.txt'));
  });
});
