// Emulator tests (a running emulator, the real AWS SDK v3 clients) of SageMaker training jobs.
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand,
  type TrainingInputMode,
  type TrainingInstanceType,
  paginateListTrainingJobs,
  waitUntilTrainingJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clockPast, rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { trainingJobRequest } from '../../../../../harness/requests';
import { sagemakerClient } from '../../../../../harness/emulatorClients';
import { allPages } from '../../../../../harness/waiting';

describe('SageMaker training jobs', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  const create = (name: string, overrides = {}) =>
    emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(name, overrides)));
  const describeJob = (name: string) => emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));

  it('creates a job that starts InProgress/Starting, with a lower-case ARN', async () => {
    const before = Date.now();
    const { TrainingJobArn } = await create('Fine-Tune-1', { HyperParameters: { epochs: '3' } });
    assert.equal(TrainingJobArn, 'arn:aws:sagemaker:us-east-1:000000000000:training-job/fine-tune-1');

    const job = await describeJob('Fine-Tune-1');
    assert.equal(job.TrainingJobName, 'Fine-Tune-1');
    assert.equal(job.TrainingJobArn, TrainingJobArn);
    assert.equal(job.TrainingJobStatus, 'InProgress');
    assert.equal(job.SecondaryStatus, 'Starting');
    assert.deepEqual(job.HyperParameters, { epochs: '3' });
    assert.equal(job.ResourceConfig?.InstanceType, 'ml.m5.large');
    assert.equal(job.AlgorithmSpecification?.TrainingImage, 'builtin/gpt:latest');
    assert.ok(job.CreationTime instanceof Date && job.CreationTime.getTime() >= before - 1000);
    assert.deepEqual(job.LastModifiedTime, job.CreationTime);
    assert.equal(job.SecondaryStatusTransitions?.length, 1);
    assert.equal(job.SecondaryStatusTransitions?.[0].Status, 'Starting');
    assert.deepEqual(job.SecondaryStatusTransitions?.[0].StartTime, job.CreationTime);
  });

  it('defaults StoppingCondition to one day', async () => {
    await create('no-stopping-condition', { StoppingCondition: undefined });
    assert.deepEqual((await describeJob('no-stopping-condition')).StoppingCondition, { MaxRuntimeInSeconds: 86400 });
  });

  it('refuses a second job with the same name: ResourceInUse', async () => {
    await create('unique-name');
    const error = await rejection(create('Unique-Name'));
    assert.equal(error.name, 'ResourceInUse');
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(
      error.message,
      'Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:000000000000:training-job/unique-name)',
    );
  });

  it('validates the request against the API model, in AWS words', async () => {
    const single = await rejection(create('bad name'));
    assert.equal(single.name, 'ValidationException');
    assert.equal(single.$metadata.httpStatusCode, 400);
    assert.equal(
      single.message,
      "1 validation error detected: Value 'bad name' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    );

    const several = await rejection(
      create('x'.repeat(64), {
        RoleArn: undefined,
        ResourceConfig: { InstanceType: 'ml.nope' as TrainingInstanceType, InstanceCount: -1, VolumeSizeInGB: 1 },
        AlgorithmSpecification: { TrainingInputMode: 'Stream' as TrainingInputMode },
      }),
    );
    const [count, violations] = several.message.split(' detected: ');
    assert.equal(count, '6 validation errors');
    const [tooLong, notMatching, badMode, noRole, badType, negative] = violations.split('; ');
    const name = 'x'.repeat(64);
    assert.equal(tooLong, `Value '${name}' at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63`);
    assert.match(notMatching, /^Value 'x+' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    assert.equal(badMode, "Value 'Stream' at 'algorithmSpecification.trainingInputMode' failed to satisfy constraint: Member must satisfy enum value set: [Pipe, File, FastFile]");
    assert.equal(noRole, "Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    assert.match(badType, /^Value 'ml\.nope' at 'resourceConfig\.instanceType' failed to satisfy constraint: Member must satisfy enum value set: \[ml\.m4\.xlarge, /);
    assert.equal(negative, "Value '-1' at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 0");
  });

  it('answers ValidationException "Requested resource not found." for a missing job', async () => {
    const error = await rejection(describeJob('never-created'));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, 'Requested resource not found.');
    assert.equal((await rejection(emulator.sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'never-created' })))).name, 'ValidationException');
  });

  it('stops an InProgress job through Stopping to Stopped, and refuses to stop it twice', async () => {
    await create('to-stop');
    await emulator.sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'to-stop' }));
    const job = await describeJob('to-stop');
    assert.equal(job.TrainingJobStatus, 'Stopped');
    assert.equal(job.SecondaryStatus, 'Stopped');
    assert.deepEqual(job.SecondaryStatusTransitions?.map((transition) => transition.Status), ['Starting', 'Stopping', 'Stopped']);
    for (const transition of job.SecondaryStatusTransitions ?? []) assert.ok(transition.EndTime instanceof Date);
    assert.ok(job.TrainingEndTime instanceof Date);

    const again = await rejection(emulator.sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'to-stop' })));
    assert.equal(again.name, 'ValidationException');
    assert.match(again.message, /status Stopped/);
  });

  it('lets the SDK waiter see a stopped job', async () => {
    await create('waited-for');
    await emulator.sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'waited-for' }));
    const result = await waitUntilTrainingJobCompletedOrStopped({ client: emulator.sagemaker, maxWaitTime: 10, minDelay: 1 }, { TrainingJobName: 'waited-for' });
    assert.equal(result.state, 'SUCCESS');
  });

  it('keeps jobs apart per account and region', async () => {
    await create('regional-job');
    const europe = sagemakerClient(emulator.url, { region: 'eu-west-1' });
    const otherAccount = sagemakerClient(emulator.url, { accessKeyId: '111122223333' });
    assert.equal((await rejection(europe.send(new DescribeTrainingJobCommand({ TrainingJobName: 'regional-job' })))).name, 'ValidationException');
    assert.equal((await rejection(otherAccount.send(new DescribeTrainingJobCommand({ TrainingJobName: 'regional-job' })))).name, 'ValidationException');
    const { TrainingJobArn } = await otherAccount.send(new CreateTrainingJobCommand(trainingJobRequest('regional-job')));
    assert.equal(TrainingJobArn, 'arn:aws:sagemaker:us-east-1:111122223333:training-job/regional-job');
    europe.destroy();
    otherAccount.destroy();
  });

  describe('ListTrainingJobs', () => {
    const names = Array.from({ length: 23 }, (_, index) => `listed-${String(index).padStart(2, '0')}`);
    let client: TestEmulator['sagemaker'];
    before(async () => {
      // A region of their own, so the jobs of other tests do not show up.
      client = sagemakerClient(emulator.url, { region: 'ap-south-1' });
      for (const name of names) {
        await client.send(new CreateTrainingJobCommand(trainingJobRequest(name)));
        const { CreationTime } = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
        await clockPast(`the creation of ${name}`, CreationTime);
      }
      await client.send(new StopTrainingJobCommand({ TrainingJobName: 'listed-05' }));
    });
    after(() => client.destroy());

    it('lists newest first, 10 per page by default', async () => {
      const page = await client.send(new ListTrainingJobsCommand({}));
      assert.deepEqual(page.TrainingJobSummaries?.map((job) => job.TrainingJobName), [...names].reverse().slice(0, 10));
      assert.ok(page.NextToken);
      const summary = page.TrainingJobSummaries?.[0];
      assert.equal(summary?.TrainingJobStatus, 'InProgress');
      assert.equal(summary?.SecondaryStatus, 'Starting');
      assert.ok(summary?.CreationTime instanceof Date);
      assert.ok(summary?.LastModifiedTime instanceof Date);
    });

    it('pages to the end with NextToken', async () => {
      const pages = await allPages('training jobs by name', paginateListTrainingJobs({ client, pageSize: 7 }, { SortBy: 'Name', SortOrder: 'Ascending' }), 4);
      assert.deepEqual(pages.map((page) => page.TrainingJobSummaries?.length), [7, 7, 7, 2]);
      assert.deepEqual(pages.flatMap((page) => (page.TrainingJobSummaries ?? []).map((job) => job.TrainingJobName)), names);
    });

    it('filters by name, status and time', async () => {
      const byName = await client.send(new ListTrainingJobsCommand({ NameContains: '-1', SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 100 }));
      assert.deepEqual(byName.TrainingJobSummaries?.map((job) => job.TrainingJobName), names.filter((name) => name.includes('-1')));
      const stopped = await client.send(new ListTrainingJobsCommand({ StatusEquals: 'Stopped' }));
      assert.deepEqual(stopped.TrainingJobSummaries?.map((job) => job.TrainingJobName), ['listed-05']);

      const all = await client.send(new ListTrainingJobsCommand({ MaxResults: 100, SortOrder: 'Ascending' }));
      const middle = all.TrainingJobSummaries?.[10]?.CreationTime as Date;
      const after = await client.send(new ListTrainingJobsCommand({ CreationTimeAfter: middle, MaxResults: 100 }));
      assert.equal(after.TrainingJobSummaries?.length, 12);
      const before = await client.send(new ListTrainingJobsCommand({ CreationTimeBefore: middle, MaxResults: 100 }));
      assert.equal(before.TrainingJobSummaries?.length, 10);
      const modified = await client.send(new ListTrainingJobsCommand({ LastModifiedTimeAfter: middle, MaxResults: 100 }));
      assert.ok(modified.TrainingJobSummaries?.some((job) => job.TrainingJobName === 'listed-05'), 'the stopped job was modified last');
    });

    it('sorts by status', async () => {
      const page = await client.send(new ListTrainingJobsCommand({ SortBy: 'Status', SortOrder: 'Descending', MaxResults: 1 }));
      assert.equal(page.TrainingJobSummaries?.[0]?.TrainingJobStatus, 'Stopped');
    });

    it('refuses a forged NextToken and MaxResults above 100', async () => {
      const forged = await rejection(client.send(new ListTrainingJobsCommand({ NextToken: 'forged' })));
      assert.equal(forged.name, 'ValidationException');
      const page = await client.send(new ListTrainingJobsCommand({ SortBy: 'Name' }));
      const otherSort = await rejection(client.send(new ListTrainingJobsCommand({ SortBy: 'Status', NextToken: page.NextToken })));
      assert.equal(otherSort.name, 'ValidationException', 'a token only continues the listing it came from');
      const tooMany = await rejection(client.send(new ListTrainingJobsCommand({ MaxResults: 101 })));
      assert.equal(
        tooMany.message,
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
    });

    it('pages on from a token while jobs change and are created between pages: each job once, in order', async () => {
      // A region of its own: this test changes its jobs.
      const changing = sagemakerClient(emulator.url, { region: 'ap-southeast-2' });
      const created = names.slice(0, 12);
      for (const name of created) {
        await changing.send(new CreateTrainingJobCommand(trainingJobRequest(name)));
        await clockPast(`the creation of ${name}`, (await changing.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))).CreationTime);
      }
      const first = await changing.send(new ListTrainingJobsCommand({ SortOrder: 'Ascending', MaxResults: 5 }));
      // A listed job's record is replaced (Stopping), a later one too, and a new newest job comes.
      await changing.send(new StopTrainingJobCommand({ TrainingJobName: 'listed-02' }));
      await changing.send(new StopTrainingJobCommand({ TrainingJobName: 'listed-08' }));
      await changing.send(new CreateTrainingJobCommand(trainingJobRequest('listed-late')));
      const rest = await allPages('the changing jobs', paginateListTrainingJobs({ client: changing, pageSize: 5, startingToken: first.NextToken }, { SortOrder: 'Ascending' }), 3);
      const listed = [first, ...rest].flatMap((page) => (page.TrainingJobSummaries ?? []).map((job) => job.TrainingJobName));
      assert.deepEqual(listed, [...created, 'listed-late']);
      const newest = await changing.send(new ListTrainingJobsCommand({ MaxResults: 2, StatusEquals: 'Stopped' }));
      assert.deepEqual(newest.TrainingJobSummaries?.map((job) => job.TrainingJobName), ['listed-08', 'listed-02'], 'the stopped jobs, newest first');
      changing.destroy();
    });
  });
});
