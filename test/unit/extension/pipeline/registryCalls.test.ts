// The model registry's calls (src/pipeline/registry.ts) against an in-process emulator through the
// real SDK: registering a job's model creates its group when new and writes the job's final metrics
// beside the model as the version's quality report, which reads back; versions newest first a page
// at a time and filtered by approval; approval changed; groups listed; a missing group or version
// named in the failure. (registry.test.ts covers the requests these calls send.)
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceOf } from '../../../../src/failures/resources';
import {
  describeModelVersion,
  listModelGroups,
  listModelVersions,
  modelGroupExists,
  parseS3Uri,
  readModelMetrics,
  registerModelVersion,
  setApproval,
  type Registration,
} from '../../../../src/pipeline/registry';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';
import { startTestEmulator, type TestEmulator } from '../../../emulator/helpers';

function job(name: string, metrics: Array<[string, number]>): TrainingJobDescription {
  return {
    TrainingJobName: name,
    TrainingJobArn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`,
    TrainingJobStatus: 'Completed',
    AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File' },
    ModelArtifacts: { S3ModelArtifacts: `s3://models/out/${name}/output/model.tar.gz` },
    FinalMetricDataList: metrics.map(([MetricName, Value]) => ({ MetricName, Value, Timestamp: new Date('2026-12-01T10:00:00Z') })),
  } as TrainingJobDescription;
}

const registration: Registration = {
  group: 'chat-models',
  image: 'sagemaker-emulator/builtin-gpt:latest',
  contentTypes: ['application/json'],
  responseTypes: ['application/json'],
  approval: 'PendingManualApproval',
};

describe('the model registry against the emulator', () => {
  let emulator: TestEmulator;
  const clients = () => ({ sageMaker: emulator.sagemaker, s3: emulator.s3 });

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'models' }));
  });
  after(() => emulator.close());

  it("registers a job's model as version 1 of a new group, its final metrics written beside the model and read back", async () => {
    assert.equal(await modelGroupExists(emulator.sagemaker, 'chat-models'), false);
    const first = await registerModelVersion(clients(), job('gpt-1', [['train:loss', 1.5], ['validation:loss', 1.75]]), registration);
    assert.deepEqual([first.group, first.version, first.approval], ['chat-models', 1, 'PendingManualApproval']);
    assert.equal(await modelGroupExists(emulator.sagemaker, 'chat-models'), true, 'the group was created');
    const { Body } = await emulator.s3.send(new GetObjectCommand({ Bucket: 'models', Key: 'out/gpt-1/output/model-metrics.json' }));
    assert.equal(JSON.parse((await Body!.transformToString()) ?? '{}').training_job, 'gpt-1');
    const described = await describeModelVersion(emulator.sagemaker, first.arn);
    assert.equal('$metadata' in described, false);
    assert.deepEqual(await readModelMetrics(emulator.s3, described), [
      { name: 'train:loss', value: 1.5 },
      { name: 'validation:loss', value: 1.75 },
    ]);
  });

  it('registers the next version into the existing group, with no report for a job without metrics', async () => {
    const second = await registerModelVersion(clients(), job('gpt-2', []), { ...registration, approval: 'Approved', description: 'second try' });
    assert.deepEqual([second.version, second.approval, second.description], [2, 'Approved', 'second try']);
    const described = await describeModelVersion(emulator.sagemaker, second.arn);
    assert.equal(described.ModelMetrics, undefined);
    assert.deepEqual(await readModelMetrics(emulator.s3, described), [], 'no report: no metrics, not an error');
  });

  it('lists versions newest first a page at a time, filters by approval, and changes one', async () => {
    const first = await listModelVersions(emulator.sagemaker, 'chat-models', { pageSize: 1 });
    assert.deepEqual(first.items.map((version) => [version.version, version.approval, version.group]), [[2, 'Approved', 'chat-models']]);
    assert.ok(first.nextToken);
    const second = await listModelVersions(emulator.sagemaker, 'chat-models', { pageSize: 1, nextToken: first.nextToken });
    assert.deepEqual(second.items.map((version) => version.version), [1]);
    assert.deepEqual((await listModelVersions(emulator.sagemaker, 'chat-models', { approval: 'PendingManualApproval' })).items.map((version) => version.version), [1]);

    await setApproval(emulator.sagemaker, second.items[0].arn, 'Rejected', 'loss too high');
    const rejected = await describeModelVersion(emulator.sagemaker, second.items[0].arn);
    assert.deepEqual([rejected.ModelApprovalStatus, rejected.ApprovalDescription], ['Rejected', 'loss too high']);
  });

  it('lists groups, lists no versions for a missing group, and names a missing version in its failure', async () => {
    const groups = await listModelGroups(emulator.sagemaker);
    assert.deepEqual(groups.items.map((group) => [group.name, group.description]), [['chat-models', 'Models trained like gpt-1']]);
    assert.match(groups.items[0].arn, /:model-package-group\/chat-models$/);
    // SageMaker lists a missing group's versions as none, not as an error.
    assert.deepEqual(await listModelVersions(emulator.sagemaker, 'no-such-group'), { items: [], nextToken: undefined });
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/chat-models/99';
    const missingVersion = await describeModelVersion(emulator.sagemaker, arn).then(
      () => assert.fail('described a missing version'),
      (error: unknown) => error,
    );
    assert.deepEqual(resourceOf(missingVersion), { kind: 'modelPackage', name: arn });
  });
});

describe('registry S3 URIs', () => {
  it('splits an s3:// URI and refuses anything else, saying what it got', () => {
    assert.deepEqual(parseS3Uri('s3://bucket/a/b.json'), { bucket: 'bucket', key: 'a/b.json' });
    assert.deepEqual(parseS3Uri('s3://bucket'), { bucket: 'bucket', key: '' });
    assert.throws(() => parseS3Uri('https://bucket/a'), /^Error: Not an S3 URI: https:\/\/bucket\/a$/);
  });
});
