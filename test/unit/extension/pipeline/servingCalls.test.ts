// The serving calls of src/pipeline (deploy.ts, endpointUpdates.ts, autoscaling.ts, batchTransform.ts)
// against an in-process emulator that runs endpoints (the echo model server: a small Node process),
// through the real SDK: a deployment followed to InService and a deployment refused part way leaving
// nothing behind; the names a deployment needs, each holder named; a version update followed to
// InService and one rolled back with its reason; a deleted endpoint and an aborted wait; autoscaling
// configured, switched to the other metric, its activity read since a time, removed; an instance
// count set; a transform job created, listed, described and its `.out` answers listed. (deploy.test.ts,
// endpointUpdates.test.ts, autoscaling.test.ts and batchTransform.test.ts cover the requests alone.)
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  type EndpointStatus,
  ListModelPackagesCommand,
} from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceOf } from '../../../../src/failures/resources';
import {
  autoscaledVariants,
  configureAutoscaling,
  describeVariantScaling,
  recentScalingActivities,
  removeAutoscaling,
  setInstanceCount,
  variantResourceId,
  type AutoscalingSettings,
} from '../../../../src/pipeline/autoscaling';
import {
  createTransformJob,
  isTransformActive,
  listOutputObjects,
  listTransformJobs,
  modelForVersion,
  transformJobNameHolder,
  transformOutputUri,
  transformRequest,
} from '../../../../src/pipeline/batchTransform';
import { deployEndpoint, deploymentNameHolder } from '../../../../src/pipeline/deploy';
import { followDeployment, startVersionUpdate, versionUpdateNames } from '../../../../src/pipeline/endpointUpdates';
import { until } from '../../../../harness/waiting';
import { startTestEmulator, type TestEmulator } from '../../../emulator/helpers';

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const echo = (format: string) => ({ Image: 'sagemaker-emulator/format-echo:latest', Environment: { SM_EMULATOR_FORMAT: format } });
/** A deployment of one instance of the echo model server speaking the Messages API. */
const echoDeployment = (endpointName: string) => ({
  endpointName,
  model: { ModelName: endpointName, ExecutionRoleArn: ROLE, PrimaryContainer: echo('messages') },
  instanceType: 'ml.m5.large',
  instanceCount: 1,
});

describe('serving calls against an emulator that runs endpoints', () => {
  let emulator: TestEmulator;
  let autoscaling: ApplicationAutoScalingClient;

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.restart({ maxConcurrentJobs: 1, endpointTiming: { stopGraceMs: 500, healthCheckTimeoutMs: 20_000 } });
    autoscaling = new ApplicationAutoScalingClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  after(async () => {
    autoscaling.destroy();
    await emulator.close();
  });

  /** Deploys an echo endpoint of one instance and follows it to its end. */
  async function deployed(name: string, statuses: EndpointStatus[] = []) {
    await deployEndpoint(emulator.sagemaker, echoDeployment(name));
    return followDeployment(emulator.sagemaker, name, name, { intervalMs: 100, onStatus: (status) => statuses.push(status) });
  }

  it('deploys a model to a new endpoint and follows it from Creating to InService; its name is then held by the endpoint', async () => {
    assert.equal(await deploymentNameHolder(emulator.sagemaker, 'chat'), undefined, 'a free name');
    const statuses: EndpointStatus[] = [];
    assert.deepEqual(await deployed('chat', statuses), { kind: 'inService', configName: 'chat' });
    assert.equal(statuses[0], 'Creating');
    assert.equal(statuses.at(-1), 'InService');
    assert.deepEqual(await deploymentNameHolder(emulator.sagemaker, 'chat'), { kind: 'endpoint', name: 'chat' });
  });

  it('refuses a deployment whose configuration name is taken, naming it, and takes back the model it made', async () => {
    await emulator.sagemaker.send(new CreateModelCommand({ ModelName: 'other', ExecutionRoleArn: ROLE, PrimaryContainer: echo('tgi') }));
    await emulator.sagemaker.send(
      new CreateEndpointConfigCommand({ EndpointConfigName: 'taken', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'other', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }),
    );
    assert.deepEqual(await deploymentNameHolder(emulator.sagemaker, 'taken'), { kind: 'endpointConfig', name: 'taken' });
    const refused = await deployEndpoint(emulator.sagemaker, echoDeployment('taken')).then(
      () => assert.fail('deployed over a taken configuration name'),
      (error: unknown) => error,
    );
    assert.deepEqual(resourceOf(refused), { kind: 'endpointConfig', name: 'taken' });
    const model = await emulator.sagemaker.send(new DescribeModelCommand({ ModelName: 'taken' })).then(
      () => 'still there',
      (error: Error) => error.name,
    );
    assert.equal(model, 'ValidationException', 'the model made for the refused deployment was deleted');
    assert.deepEqual(await deploymentNameHolder(emulator.sagemaker, 'other'), { kind: 'model', name: 'other' });
  });

  it('updates an endpoint to a registered version (InService on the new configuration), and reports a version that cannot start as rolled back with its reason', async () => {
    await emulator.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'echoes' }));
    const version = async (format: string) =>
      (
        await emulator.sagemaker.send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'echoes',
            ModelApprovalStatus: 'Approved',
            InferenceSpecification: { Containers: [echo(format)], SupportedContentTypes: ['application/json'], SupportedResponseMIMETypes: ['application/json'] },
          }),
        )
      ).ModelPackageArn!;
    const tgi = await version('tgi');
    const at = new Date('2026-12-02T10:00:00Z');
    const names = versionUpdateNames('chat', tgi, at);
    // Refused while the endpoint is not InService: nothing is made.
    await deployEndpoint(emulator.sagemaker, echoDeployment('busy'));
    await assert.rejects(startVersionUpdate(emulator.sagemaker, { endpointName: 'busy', variantName: 'AllTraffic', versionArn: tgi, executionRoleArn: ROLE, ...versionUpdateNames('busy', tgi, at) }), /^Error: Endpoint busy is Creating: it can be updated once it is InService\.$/);

    const config = await startVersionUpdate(emulator.sagemaker, { endpointName: 'chat', variantName: 'AllTraffic', versionArn: tgi, executionRoleArn: ROLE, ...names });
    assert.equal(config, names.configName);
    assert.deepEqual(await followDeployment(emulator.sagemaker, 'chat', config, { intervalMs: 100 }), { kind: 'inService', configName: config });

    const broken = await version('no-such-format'); // the echo server exits at once: never healthy
    const later = versionUpdateNames('chat', broken, new Date(at.getTime() + 60_000));
    const brokenConfig = await startVersionUpdate(emulator.sagemaker, { endpointName: 'chat', variantName: 'AllTraffic', versionArn: broken, executionRoleArn: ROLE, ...later });
    const outcome = await followDeployment(emulator.sagemaker, 'chat', brokenConfig, { intervalMs: 100 });
    assert.equal(outcome?.kind, 'rolledBack');
    assert.equal(outcome.kind === 'rolledBack' && outcome.configName, config, 'back on the configuration that served before');
    assert.ok(outcome.kind === 'rolledBack' && outcome.reason.length > 0, 'with SageMaker\'s reason');
  });

  it('ends a wait when the endpoint is deleted (gone) or the signal aborts (undefined)', async () => {
    const controller = new AbortController();
    const statuses: EndpointStatus[] = [];
    const waiting = followDeployment(emulator.sagemaker, 'busy', 'busy', {
      intervalMs: 60_000, // only the abort ends this wait in time
      signal: controller.signal,
      onStatus: (status) => statuses.push(status),
    });
    await until('the first status of busy', () => (statuses.length > 0 ? true : undefined));
    controller.abort();
    const status = (await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'busy' }))).EndpointStatus;
    const outcome = await waiting;
    if (status === 'InService') assert.deepEqual(outcome, { kind: 'inService', configName: 'busy' }, 'it was already up');
    else assert.equal(outcome, undefined, 'the abort ended the wait, not the deployment');

    await until('busy InService, so that it can be deleted', async () => ((await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'busy' }))).EndpointStatus === 'InService' ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    await emulator.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'busy' }));
    assert.deepEqual(await followDeployment(emulator.sagemaker, 'busy', 'busy', { intervalMs: 100 }), { kind: 'gone' });
  });

  it('configures autoscaling, switches its metric (one policy left), reads its activity since a time, and removes it', async () => {
    const settings: AutoscalingSettings = {
      endpointName: 'chat',
      variantName: 'AllTraffic',
      minInstances: 2,
      maxInstances: 3,
      metric: 'invocations',
      targetValue: 70,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    };
    const before = new Date(Date.now() - 1000);
    await configureAutoscaling(autoscaling, settings);
    const scaling = await describeVariantScaling(autoscaling, 'chat', 'AllTraffic');
    assert.deepEqual([scaling?.minInstances, scaling?.maxInstances, scaling?.policy?.metric, scaling?.policy?.targetValue], [2, 3, 'invocations', 70]);
    assert.deepEqual([...(await autoscaledVariants(autoscaling))], [variantResourceId('chat', 'AllTraffic')]);
    // A minimum above the 1 instance running scales it out, as Application Auto Scaling does.
    const activities = await recentScalingActivities(autoscaling, 'chat', 'AllTraffic', before);
    assert.deepEqual(
      activities.map((activity) => [activity.description, activity.cause]),
      [['Setting desired instance count to 2.', 'minimum capacity was set to 2']],
    );
    assert.deepEqual(await recentScalingActivities(autoscaling, 'chat', 'AllTraffic', new Date(Date.now() + 60_000)), [], 'none since a later time');

    await configureAutoscaling(autoscaling, { ...settings, metric: 'cpu', targetValue: 50 });
    const switched = await describeVariantScaling(autoscaling, 'chat', 'AllTraffic');
    assert.deepEqual([switched?.policy?.metric, switched?.policy?.targetValue], ['cpu', 50]);

    await removeAutoscaling(autoscaling, 'chat', 'AllTraffic');
    assert.equal(await describeVariantScaling(autoscaling, 'chat', 'AllTraffic'), undefined);
    assert.deepEqual([...(await autoscaledVariants(autoscaling))], []);
    const missing = await removeAutoscaling(autoscaling, 'chat', 'AllTraffic').then(
      () => assert.fail('removed autoscaling twice'),
      (error: unknown) => error,
    );
    assert.deepEqual(resourceOf(missing), { kind: 'endpoint', name: 'chat' });
  });

  it('sets a variant\'s instance count', async () => {
    await until('chat InService after scaling', async () => ((await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'chat' }))).EndpointStatus === 'InService' ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    await setInstanceCount(emulator.sagemaker, 'chat', 'AllTraffic', 1);
    const variant = async () => (await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'chat' }))).ProductionVariants?.[0];
    assert.equal((await variant())?.DesiredInstanceCount, 1);
    const missing = await setInstanceCount(emulator.sagemaker, 'no-such-endpoint', 'AllTraffic', 1).then(
      () => assert.fail('scaled a missing endpoint'),
      (error: unknown) => error,
    );
    assert.deepEqual(resourceOf(missing), { kind: 'endpoint', name: 'no-such-endpoint' });
  });

  it('creates a transform job from a version\'s model, lists and describes it, and lists its .out answers once it ends', async () => {
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'batch' }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: 'batch', Key: 'in/prompts.jsonl', Body: '{"inputs": "hello"}\n' }));
    const [versionArn] = await listVersionArns();
    const model = await modelForVersion(emulator.sagemaker, versionArn, 'echoes-v1', ROLE, new Date('2026-12-02T11:00:00Z'));
    assert.match(model, /^echoes-v1-/);
    assert.equal(await transformJobNameHolder(emulator.sagemaker, 'answers'), undefined);
    const request = transformRequest({
      jobName: 'answers',
      modelName: model,
      inputUri: 's3://batch/in/',
      outputUri: 's3://batch/out/',
      contentType: 'application/json',
      splitType: 'Line',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
    });
    assert.match(await createTransformJob(emulator.sagemaker, request), /:transform-job\/answers$/);
    assert.deepEqual(await transformJobNameHolder(emulator.sagemaker, 'answers'), { kind: 'transformJob', name: 'answers' });
    assert.equal(await transformOutputUri(emulator.sagemaker, 'answers'), 's3://batch/out/');

    const ended = await until(
      'the transform job to end',
      async () => {
        const job = (await listTransformJobs(emulator.sagemaker)).items.find((item) => item.name === 'answers');
        return job && !isTransformActive(job.status) ? job : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    assert.equal(ended.status, 'Completed', ended.failureReason);
    const answers = await listOutputObjects(emulator.s3, 's3://batch/out');
    assert.deepEqual(answers.items.map((object) => object.key), ['out/prompts.jsonl.out']);
    assert.ok(answers.items[0].size > 0);

    const taken = await createTransformJob(emulator.sagemaker, request).then(
      () => assert.fail('created a transform job under a taken name'),
      (error: unknown) => error,
    );
    assert.deepEqual(resourceOf(taken), { kind: 'transformJob', name: 'answers' });
  });

  async function listVersionArns(): Promise<string[]> {
    const { ModelPackageSummaryList = [] } = await emulator.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'echoes', SortBy: 'CreationTime', SortOrder: 'Ascending' }));
    return ModelPackageSummaryList.map((summary) => summary.ModelPackageArn!);
  }
});
