// A second, independent client: the AWS CLI (Python, botocore) against the same emulator.
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli } from '../../awsCli';
import { startTestEmulator, type TestEmulator } from '../../helpers';
import { trainingJobRequest } from '../../../../harness/requests';

describe('AWS CLI', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  const aws = (...args: string[]) => awsCli(emulator.url, emulator.root, ...args);

  it('copies a file to S3 and back, and lists it', async () => {
    const file = join(emulator.root, 'notes with spaces.txt');
    writeFileSync(file, 'written by the AWS CLI\n');
    await aws('s3', 'mb', 's3://cli-bucket');
    await aws('s3', 'cp', file, 's3://cli-bucket/folder/notes with spaces.txt');
    const listing = await aws('s3', 'ls', 's3://cli-bucket/folder/');
    assert.match(listing, /\s23 notes with spaces\.txt\n$/);
    assert.equal(await aws('s3', 'cp', 's3://cli-bucket/folder/notes with spaces.txt', '-'), 'written by the AWS CLI\n');
  });

  it('lists training jobs created with the JavaScript SDK', async () => {
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('from-the-sdk')));
    const output = JSON.parse(await aws('sagemaker', 'list-training-jobs')) as { TrainingJobSummaries: { TrainingJobName: string; TrainingJobStatus: string }[] };
    assert.deepEqual(
      output.TrainingJobSummaries.map((job) => [job.TrainingJobName, job.TrainingJobStatus]),
      [['from-the-sdk', 'InProgress']],
    );
  });
});
