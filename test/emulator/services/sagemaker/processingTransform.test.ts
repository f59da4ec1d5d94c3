// Emulator tests (a running emulator, the real AWS SDK v3 clients) of SageMaker processing and transform jobs.
import {
  CreateModelCommand,
  CreateProcessingJobCommand,
  CreateTransformJobCommand,
  DescribeProcessingJobCommand,
  DescribeTransformJobCommand,
  ListProcessingJobsCommand,
  ListTransformJobsCommand,
  paginateListProcessingJobs,
  paginateListTransformJobs,
  StopProcessingJobCommand,
  StopTransformJobCommand,
  waitUntilProcessingJobCompletedOrStopped,
  waitUntilTransformJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { allPages } from '../../../../harness/waiting';
import { modelRequest, processingJobRequest, transformJobRequest } from '../../../../harness/requests';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:000000000000';

describe('SageMaker processing and transform jobs', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('batch-model')));
  });
  after(() => emulator.close());

  describe('processing jobs', () => {
    it('creates a job that is InProgress and not yet started', async () => {
      const { ProcessingJobArn } = await emulator.sagemaker.send(new CreateProcessingJobCommand(processingJobRequest('Preprocess-1', { Environment: { SPLIT: '0.1' } })));
      assert.equal(ProcessingJobArn, `${ARN_PREFIX}:processing-job/preprocess-1`);
      const job = await emulator.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'preprocess-1' }));
      assert.equal(job.ProcessingJobName, 'Preprocess-1');
      assert.equal(job.ProcessingJobStatus, 'InProgress');
      assert.equal(job.ProcessingStartTime, undefined, 'it waits for capacity: this emulator runs no jobs');
      assert.deepEqual(job.Environment, { SPLIT: '0.1' });
      assert.equal(job.ProcessingInputs?.[0].S3Input?.S3Uri, 's3://data/raw');
      assert.deepEqual(job.LastModifiedTime, job.CreationTime);
    });

    it('refuses a taken name: ResourceInUse', async () => {
      const error = await rejection(emulator.sagemaker.send(new CreateProcessingJobCommand(processingJobRequest('PREPROCESS-1'))));
      assert.equal(error.name, 'ResourceInUse');
      assert.equal(
        error.message,
        `Processing job names must be unique within an AWS account and region, and a processing job with this name already exists (${ARN_PREFIX}:processing-job/preprocess-1)`,
      );
    });

    it('stops a job to Stopped, which the SDK waiter sees, and refuses to stop it twice', async () => {
      await emulator.sagemaker.send(new CreateProcessingJobCommand(processingJobRequest('to-stop')));
      await emulator.sagemaker.send(new StopProcessingJobCommand({ ProcessingJobName: 'to-stop' }));
      const waited = await waitUntilProcessingJobCompletedOrStopped({ client: emulator.sagemaker, maxWaitTime: 10, minDelay: 1 }, { ProcessingJobName: 'to-stop' });
      assert.equal(waited.state, 'SUCCESS');
      const job = await emulator.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'to-stop' }));
      assert.equal(job.ProcessingJobStatus, 'Stopped');
      assert.ok(job.ProcessingEndTime instanceof Date);
      const again = await rejection(emulator.sagemaker.send(new StopProcessingJobCommand({ ProcessingJobName: 'to-stop' })));
      assert.equal(again.name, 'ValidationException');
      assert.equal(again.message, 'The request was rejected because the processing job is in status Stopped.');
      const missing = await rejection(emulator.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'ghost' })));
      assert.equal(missing.message, 'Could not find requested job with name ghost');
    });

    it('lists oldest first by default, by status, and pages to the end', async () => {
      const all = await emulator.sagemaker.send(new ListProcessingJobsCommand({}));
      assert.deepEqual(all.ProcessingJobSummaries?.map((summary) => summary.ProcessingJobName), ['Preprocess-1', 'to-stop']);
      const stopped = await emulator.sagemaker.send(new ListProcessingJobsCommand({ StatusEquals: 'Stopped' }));
      assert.deepEqual(stopped.ProcessingJobSummaries?.map((summary) => [summary.ProcessingJobName, summary.ProcessingJobStatus]), [['to-stop', 'Stopped']]);
      const names: string[] = [];
      for (const page of await allPages('processing jobs by name', paginateListProcessingJobs({ client: emulator.sagemaker, pageSize: 1 }, { SortBy: 'Name', SortOrder: 'Descending' }), 3)) {
        names.push(...(page.ProcessingJobSummaries ?? []).map((summary) => summary.ProcessingJobName ?? ''));
      }
      assert.deepEqual(names, ['to-stop', 'Preprocess-1']);
    });
  });

  describe('transform jobs', () => {
    it('creates a job for an existing model, with SageMaker defaults', async () => {
      const { TransformJobArn } = await emulator.sagemaker.send(new CreateTransformJobCommand(transformJobRequest('answers-1', 'batch-model')));
      assert.equal(TransformJobArn, `${ARN_PREFIX}:transform-job/answers-1`);
      const job = await emulator.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: 'answers-1' }));
      assert.equal(job.TransformJobStatus, 'InProgress');
      assert.equal(job.ModelName, 'batch-model');
      assert.equal(job.MaxPayloadInMB, 6);
      assert.equal(job.TransformInput?.SplitType, 'Line');
      assert.equal(job.TransformStartTime, undefined);
      const noModel = await rejection(emulator.sagemaker.send(new CreateTransformJobCommand(transformJobRequest('answers-2', 'ghost'))));
      assert.equal(noModel.name, 'ValidationException');
      assert.equal(noModel.message, `Could not find model "${ARN_PREFIX}:model/ghost".`);
    });

    it('stops a job to Stopped, which the SDK waiter sees', async () => {
      await emulator.sagemaker.send(new StopTransformJobCommand({ TransformJobName: 'answers-1' }));
      const waited = await waitUntilTransformJobCompletedOrStopped({ client: emulator.sagemaker, maxWaitTime: 10, minDelay: 1 }, { TransformJobName: 'answers-1' });
      assert.equal(waited.state, 'SUCCESS');
      const job = await emulator.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: 'answers-1' }));
      assert.equal(job.TransformJobStatus, 'Stopped');
      assert.ok(job.TransformEndTime instanceof Date);
      const again = await rejection(emulator.sagemaker.send(new StopTransformJobCommand({ TransformJobName: 'answers-1' })));
      assert.equal(again.message, 'The request was rejected because the transform job is in status Stopped.');
    });

    it('lists newest first by default and pages to the end', async () => {
      await emulator.sagemaker.send(new CreateTransformJobCommand(transformJobRequest('answers-3', 'batch-model')));
      const all = await emulator.sagemaker.send(new ListTransformJobsCommand({ NameContains: 'answers' }));
      assert.deepEqual(all.TransformJobSummaries?.map((summary) => summary.TransformJobName), ['answers-3', 'answers-1']);
      const names: string[] = [];
      for (const page of await allPages('transform jobs in progress', paginateListTransformJobs({ client: emulator.sagemaker, pageSize: 1 }, { StatusEquals: 'InProgress' }), 2)) {
        names.push(...(page.TransformJobSummaries ?? []).map((summary) => summary.TransformJobName ?? ''));
      }
      assert.deepEqual(names, ['answers-3']);
    });
  });
});
