// The Training Jobs view's and commands' calls (src/pipeline/trainingJobs.ts, trainingJobLogs.ts and
// names.ts' freeName) against an in-process emulator through the real SDK (jobs are not run: their
// state is what is read): newest first a page at a time, filtered by status, described, stopped,
// created, a name's holder; which statuses are active and stoppable; a job's log lines per host, each
// read once; the first free name after a taken one; the execution roles recent models and jobs use;
// a job's metric names; resuming from a chosen checkpoint (resumeFromCheckpoint.ts).
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateModelCommand, TrainingJobStatus } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceOf } from '../../../../src/failures/resources';
import { groupCheckpoints } from '../../../../src/pipeline/checkpoints';
import { knownExecutionRoles } from '../../../../src/pipeline/executionRoles';
import { freeName } from '../../../../src/pipeline/names';
import { resumeFromCheckpoint, resumePlan } from '../../../../src/pipeline/resumeFromCheckpoint';
import { metricNamesOf } from '../../../../src/pipeline/trainingMetrics';
import { formatLogLine, hostOf, TRAINING_JOB_LOG_GROUP, TrainingJobLogCursor } from '../../../../src/pipeline/trainingJobLogs';
import {
  createTrainingJob,
  describeTrainingJob,
  isActive,
  isStoppable,
  listTrainingJobs,
  stopTrainingJob,
  trainingJobNameHolder,
} from '../../../../src/pipeline/trainingJobs';
import { clockPast, startTestEmulator, type TestEmulator } from '../../../emulator/helpers';
import { clientConfig } from '../../../../harness/emulatorClients';
import { trainingJobRequest } from '../../../../harness/requests';

describe('training jobs against the emulator', () => {
  let emulator: TestEmulator;
  const names = ['job-a', 'job-b', 'job-c'];

  before(async () => {
    emulator = await startTestEmulator();
    for (const name of names) {
      await createTrainingJob(emulator.sagemaker, trainingJobRequest(name));
      // Creation times must differ for "newest first" to mean something.
      await clockPast(`${name}'s CreationTime`, (await describeTrainingJob(emulator.sagemaker, name)).CreationTime);
    }
  });
  after(() => emulator.close());

  it('lists jobs newest first, a page at a time, until a page without a token', async () => {
    const first = await listTrainingJobs(emulator.sagemaker, undefined, 2);
    assert.deepEqual(
      first.jobs.map((job) => [job.name, job.status]),
      [
        ['job-c', 'InProgress'],
        ['job-b', 'InProgress'],
      ],
    );
    assert.match(first.jobs[0].arn, /^arn:aws:sagemaker:us-east-1:\d{12}:training-job\/job-c$/);
    assert.ok(first.jobs[0].createdAt instanceof Date && first.jobs[0].createdAt > first.jobs[1].createdAt!);
    assert.ok(first.nextToken, 'a second page is there');
    const second = await listTrainingJobs(emulator.sagemaker, first.nextToken, 2);
    assert.deepEqual(second.jobs.map((job) => job.name), ['job-a']);
    assert.equal(second.nextToken, undefined);
  });

  it('stops a job, and lists by status without it', async () => {
    await stopTrainingJob(emulator.sagemaker, 'job-a');
    const stopping = await describeTrainingJob(emulator.sagemaker, 'job-a');
    assert.ok(['Stopping', 'Stopped'].includes(stopping.TrainingJobStatus ?? ''), stopping.TrainingJobStatus);
    const inProgress = await listTrainingJobs(emulator.sagemaker, undefined, 50, 'InProgress');
    assert.deepEqual(inProgress.jobs.map((job) => job.name), ['job-c', 'job-b']);
    assert.equal('$metadata' in stopping, false, 'the description is the job, not the response');
  });

  it('names the job a failed call was about, and finds who holds a name', async () => {
    const error = await describeTrainingJob(emulator.sagemaker, 'no-such-job').then(
      () => assert.fail('described a missing job'),
      (failure: unknown) => failure,
    );
    assert.deepEqual(resourceOf(error), { kind: 'trainingJob', name: 'no-such-job' });
    const stopError = await stopTrainingJob(emulator.sagemaker, 'no-such-job').then(
      () => assert.fail('stopped a missing job'),
      (failure: unknown) => failure,
    );
    assert.deepEqual(resourceOf(stopError), { kind: 'trainingJob', name: 'no-such-job' });
    const createError = await createTrainingJob(emulator.sagemaker, trainingJobRequest('job-b')).then(
      () => assert.fail('created a job under a taken name'),
      (failure: unknown) => failure,
    );
    assert.deepEqual([(createError as Error).name, resourceOf(createError)], ['ResourceInUse', { kind: 'trainingJob', name: 'job-b' }]);
    assert.deepEqual(await trainingJobNameHolder(emulator.sagemaker, 'job-b'), { kind: 'trainingJob', name: 'job-b' });
    assert.equal(await trainingJobNameHolder(emulator.sagemaker, 'free-name'), undefined);
  });

  it('picks the first free name after a taken one, asking the service', async () => {
    const taken = async (candidate: string) => (await trainingJobNameHolder(emulator.sagemaker, candidate)) !== undefined;
    assert.equal(await freeName('job-d', taken), 'job-d');
    assert.equal(await freeName('job-a', taken), 'job-a-2');
  });

  it('offers the execution roles recent models and jobs run as, each once, newest use first', async () => {
    await emulator.sagemaker.send(
      new CreateModelCommand({ ModelName: 'served', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/service-role/Serving', PrimaryContainer: { Image: 'sagemaker-emulator/builtin-gpt:latest' } }),
    );
    assert.deepEqual(await knownExecutionRoles(emulator.sagemaker), [
      { arn: 'arn:aws:iam::000000000000:role/service-role/Serving', usedBy: 'model served' },
      { arn: 'arn:aws:iam::000000000000:role/SageMakerRole', usedBy: 'training job job-c' },
    ]);
    assert.deepEqual(await knownExecutionRoles(emulator.sagemaker, 1), [
      { arn: 'arn:aws:iam::000000000000:role/service-role/Serving', usedBy: 'model served' },
      { arn: 'arn:aws:iam::000000000000:role/SageMakerRole', usedBy: 'training job job-c' },
    ], 'one of each kind');
  });

  it("reads a job's log lines from every host's stream in time order, each line once", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    try {
      const cursor = new TrainingJobLogCursor('logged');
      assert.deepEqual(await cursor.next(logs), [], 'no log group yet: nothing, not an error');
      await logs.send(new CreateLogGroupCommand({ logGroupName: TRAINING_JOB_LOG_GROUP }));
      const streams = { 'algo-1': 'logged/algo-1-1700000000', 'algo-2': 'logged/algo-2-1700000000', other: 'logged-other/algo-1-1700000000' };
      for (const stream of Object.values(streams)) await logs.send(new CreateLogStreamCommand({ logGroupName: TRAINING_JOB_LOG_GROUP, logStreamName: stream }));
      const put = (stream: string, events: Array<[number, string]>) =>
        logs.send(new PutLogEventsCommand({ logGroupName: TRAINING_JOB_LOG_GROUP, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));
      const t = Date.now() - 60_000;
      await put(streams['algo-1'], [
        [t, 'one\n'],
        [t + 2, 'three'],
      ]);
      await put(streams['algo-2'], [[t + 1, 'two']]);
      await put(streams.other, [[t, 'another job']]);
      const first = await cursor.next(logs);
      assert.deepEqual(
        first.map((line) => [line.timestamp - t, line.host, line.message]),
        [
          [0, 'algo-1', 'one'],
          [1, 'algo-2', 'two'],
          [2, 'algo-1', 'three'],
        ],
      );
      assert.deepEqual(await cursor.next(logs), [], 'nothing new: nothing returned again');
      // A line at the same time as the last one read is new, and is returned once.
      await put(streams['algo-2'], [
        [t + 2, 'three too'],
        [t + 3, 'four'],
      ]);
      assert.deepEqual(
        (await cursor.next(logs)).map((line) => [line.host, line.message]),
        [
          ['algo-2', 'three too'],
          ['algo-2', 'four'],
        ],
      );
      assert.deepEqual(await cursor.next(logs), []);
    } finally {
      logs.destroy();
    }
  });

  it('resumes from a chosen checkpoint: its files alone copied beside the old location, a new job started there; refused where objects are already', async () => {
    // The old location without its trailing slash, as a user may type it.
    const bucket = 'resume-checkpoints';
    await emulator.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await createTrainingJob(emulator.sagemaker, trainingJobRequest('source-job', { CheckpointConfig: { S3Uri: `s3://${bucket}/checkpoints/source-job` }, HyperParameters: { lr: '0.01' } }));
    const files = { 'checkpoint-00000100.safetensors': 'step one hundred', 'checkpoint-00000200.safetensors': 'step two hundred, the latest' };
    for (const [name, body] of Object.entries(files)) await emulator.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `checkpoints/source-job/${name}`, Body: body }));
    const objects = Object.entries(files).map(([name, body]) => ({ bucket, key: `checkpoints/source-job/${name}`, size: Buffer.byteLength(body) }));
    const chosen = groupCheckpoints(objects, 'checkpoints/source-job/').checkpoints.find((checkpoint) => checkpoint.step === 100);
    assert.ok(chosen, 'step 100 is listed');
    const description = await describeTrainingJob(emulator.sagemaker, 'source-job');
    const plan = resumePlan(description, 'source-job-resume-1', { lr: '0.001' });
    let copied = 0;
    await resumeFromCheckpoint({ s3: emulator.s3, sageMaker: emulator.sagemaker }, description, chosen, plan, (bytes) => (copied += bytes));

    const keysUnder = async (prefix: string) => ((await emulator.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((object) => object.Key);
    assert.deepEqual(await keysUnder('checkpoints/source-job-resume-1/'), ['checkpoints/source-job-resume-1/checkpoint-00000100.safetensors']);
    const copy = await emulator.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'checkpoints/source-job-resume-1/checkpoint-00000100.safetensors' }));
    assert.equal(await copy.Body?.transformToString(), files['checkpoint-00000100.safetensors']);
    assert.equal(copied, Buffer.byteLength(files['checkpoint-00000100.safetensors']));
    assert.equal((await keysUnder('checkpoints/source-job/')).length, 2, 'the old location is left as it was');
    const resumed = await describeTrainingJob(emulator.sagemaker, 'source-job-resume-1');
    assert.equal(resumed.CheckpointConfig?.S3Uri, `s3://${bucket}/checkpoints/source-job-resume-1/`);
    assert.deepEqual(resumed.HyperParameters, { lr: '0.001' });
    assert.equal(resumed.RoleArn, description.RoleArn);

    // The same location again: refused before anything is copied or started.
    await assert.rejects(
      resumeFromCheckpoint({ s3: emulator.s3, sageMaker: emulator.sagemaker }, description, chosen, { ...plan, newJobName: 'source-job-resume-2' }),
      new RegExp(`${plan.checkpointUri} already holds objects: a resumed job must start from the chosen checkpoint alone`),
    );
    assert.equal(await trainingJobNameHolder(emulator.sagemaker, 'source-job-resume-2'), undefined, 'no job started');
    const notS3 = { ...description, CheckpointConfig: { S3Uri: '/opt/ml/checkpoints' } };
    await assert.rejects(resumeFromCheckpoint({ s3: emulator.s3, sageMaker: emulator.sagemaker }, notS3, chosen, plan), /^Error: \/opt\/ml\/checkpoints is not an s3:\/\/ URI$/);
  });
});

describe('training jobs without a service', () => {
  it('counts InProgress and Stopping as active, and only InProgress as stoppable', () => {
    for (const status of Object.values(TrainingJobStatus)) {
      assert.equal(isActive(status), status === 'InProgress' || status === 'Stopping', status);
      assert.equal(isStoppable(status), status === 'InProgress', status);
    }
  });

  it("names a stream's host, whatever the job's name holds", () => {
    assert.equal(hostOf('job/algo-2-1700000000'), 'algo-2');
    assert.equal(hostOf('job-with-dashes-12/algo-10-1700000000'), 'algo-10');
    assert.equal(hostOf('job/algo-1'), 'algo-1', 'a stream without its attempt time');
  });

  it("names a job's metrics once each, in the order its definitions give them", () => {
    const description = {
      AlgorithmSpecification: {
        TrainingInputMode: 'File',
        MetricDefinitions: [
          { Name: 'train:loss', Regex: 'loss=(\\S+)' },
          { Name: 'validation:loss', Regex: 'val=(\\S+)' },
          { Name: 'train:loss', Regex: 'again=(\\S+)' },
        ],
      },
    } as Parameters<typeof metricNamesOf>[0];
    assert.deepEqual(metricNamesOf(description), ['train:loss', 'validation:loss']);
    assert.deepEqual(metricNamesOf({} as Parameters<typeof metricNamesOf>[0]), []);
  });

  it('formats a line as time, host and message', () => {
    const line = { timestamp: Date.UTC(2026, 0, 2, 3, 4, 5), host: 'algo-2', message: 'loss=1.5' };
    const time = new Date(line.timestamp).toLocaleTimeString(undefined, { hour12: false });
    assert.equal(formatLogLine(line), `${time} algo-2 | loss=1.5`);
  });

  it('numbers a taken name on from its own number, within 63 characters, and gives up on a stamp', async () => {
    const takenSet = (taken: string[]) => async (candidate: string) => taken.includes(candidate);
    assert.equal(await freeName('run', takenSet(['run', 'run-2', 'run-3'])), 'run-4');
    assert.equal(await freeName('run-7', takenSet(['run-7'])), 'run-8', 'a name ending in a number counts on from it');
    const long = 'x'.repeat(63);
    const numbered = await freeName(long, takenSet([long]));
    assert.equal(numbered, `${'x'.repeat(61)}-2`);
    assert.equal(numbered.length, 63);
    assert.equal(await freeName(`${'x'.repeat(60)}-abc`, takenSet([`${'x'.repeat(60)}-abc`])), `${'x'.repeat(60)}-2`, 'no hyphen left before the number');
    let asked = 0;
    const alwaysTaken = async () => {
      asked++;
      return true;
    };
    const stamped = await freeName('busy', alwaysTaken, 5);
    assert.equal(asked, 6, 'the name and five numbered ones');
    assert.match(stamped, /^busy-[0-9a-z]+$/);
  });
});
