// A second, independent client: the AWS CLI (Python, botocore) against the same emulator.
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestEmulator, type TestEmulator, trainingJobRequest } from './helpers';

const AWS_CLI = '/usr/bin/aws';
const run = promisify(execFile);

describe('AWS CLI', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  async function aws(...args: string[]): Promise<string> {
    const { stdout } = await run(AWS_CLI, ['--endpoint-url', emulator.url, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: emulator.root,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(emulator.root, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(emulator.root, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
      timeout: 20_000,
    });
    return stdout;
  }

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
