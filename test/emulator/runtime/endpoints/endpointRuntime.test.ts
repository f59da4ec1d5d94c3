// Endpoints run for real: inference container processes serve the model, InvokeEndpoint and
// InvokeEndpointWithResponseStream reach them through the real SageMaker Runtime client, and
// create, scale, update, fail and delete move the endpoint as SageMaker does.
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeModelCommand,
  type SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { awsCli } from '../../awsCli';
import { rejection } from '../../helpers';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';
import { processesUnder, running } from '../../processes';
import { until } from '../../../../harness/waiting';
import { FIXTURES } from '../../runtimeTestHelpers';

const BUCKET = 'endpoint-tests';
const FAST_ENDPOINT_TIMING = { stopGraceMs: 2000, logFlushMs: 100, replaceDelayMs: 200, healthCheckTimeoutMs: 20_000 };

/** model.tar.gz with `model.txt` and the fixture server as `code/serve.js`, as a framework model packs its code. */
function modelArchive(dir: string, model: string): Buffer {
  const root = path.join(dir, model);
  mkdirSync(path.join(root, 'code'), { recursive: true });
  writeFileSync(path.join(root, 'model.txt'), model);
  writeFileSync(path.join(root, 'code', 'serve.js'), readFileSync(path.join(FIXTURES, 'modelServer.js')));
  const archive = path.join(dir, `${model}.tar.gz`);
  tar.create({ gzip: true, file: archive, cwd: root, sync: true, portable: true }, ['.']);
  return readFileSync(archive);
}

function nodeModel(name: string, modelKey: string, environment: Record<string, string> = {}) {
  return new CreateModelCommand({
    ModelName: name,
    ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    PrimaryContainer: {
      Image: 'sagemaker-emulator/node',
      ModelDataUrl: `s3://${BUCKET}/${modelKey}`,
      Environment: { SAGEMAKER_PROGRAM: 'serve.js', ...environment },
    },
  });
}

function config(name: string, variants: { variant: string; model: string; count?: number; weight?: number }[]) {
  return new CreateEndpointConfigCommand({
    EndpointConfigName: name,
    ProductionVariants: variants.map(({ variant, model, count = 1, weight }) => ({
      VariantName: variant,
      ModelName: model,
      InstanceType: 'ml.m5.large',
      InitialInstanceCount: count,
      InitialVariantWeight: weight,
    })),
  });
}

describe('endpoints served by real model containers', () => {
  const scratch = makeTempDir('endpoint-runtime');
  let emulator: RunningEmulator;
  let sagemaker: SageMakerClient;
  let runtime: SageMakerRuntimeClient;
  let s3: S3Client;
  let logs: CloudWatchLogsClient;
  let autoscaling: ApplicationAutoScalingClient;
  let cloudwatch: CloudWatchClient;

  async function start(): Promise<void> {
    emulator = await startEmulator({
      dataDir: path.join(scratch.path, 'data'),
      runtime: {
        maxConcurrentJobs: 0,
        endpointTiming: FAST_ENDPOINT_TIMING,
        // A short metric period, one high period to scale out and two low ones to scale in.
        autoscaling: { evaluationMs: 400, scaleOutEvaluations: 1, scaleInEvaluations: 2 },
        metricsFlushMs: 200,
      },
    });
    const configuration = clientConfig(emulator.url);
    sagemaker = sagemakerClient(emulator.url);
    // No retries: a test sees each answer the emulator gives.
    runtime = new SageMakerRuntimeClient({ ...configuration, maxAttempts: 1 });
    s3 = s3Client(emulator.url);
    logs = new CloudWatchLogsClient(configuration);
    autoscaling = new ApplicationAutoScalingClient(configuration);
    cloudwatch = new CloudWatchClient(configuration);
  }
  async function stop(): Promise<void> {
    for (const client of [sagemaker, runtime, s3, logs, autoscaling, cloudwatch]) client.destroy();
    await emulator.close();
  }

  const describeEndpoint = (name: string) => sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
  async function inService(name: string): Promise<DescribeEndpointCommandOutput> {
    await waitUntilEndpointInService({ client: sagemaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { EndpointName: name }).catch(() => undefined);
    return describeEndpoint(name);
  }
  async function invoke(name: string, body: object | string, extra: { TargetVariant?: string; CustomAttributes?: string } = {}) {
    const response = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: name,
        Body: typeof body === 'string' ? body : JSON.stringify(body),
        ContentType: 'application/json',
        Accept: 'application/json',
        ...extra,
      }),
    );
    return { ...response, json: JSON.parse(Buffer.from(response.Body).toString('utf8')) as Record<string, string | number> };
  }

  before(async () => {
    await start();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const model of ['alpha', 'beta']) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${model}/model.tar.gz`, Body: modelArchive(scratch.path, model) }));
    }
    await sagemaker.send(nodeModel('alpha', 'alpha/model.tar.gz', { GREETING: 'hello', SHUTDOWN_DELAY_MS: '1000' }));
    await sagemaker.send(nodeModel('beta', 'beta/model.tar.gz'));
    await sagemaker.send(nodeModel('missing-data', 'nowhere/model.tar.gz'));
    await sagemaker.send(nodeModel('exits', 'alpha/model.tar.gz', { EXIT_AT_START: '1' }));
    await sagemaker.send(nodeModel('slow', 'alpha/model.tar.gz', { STARTUP_DELAY_MS: '2000' }));
    await sagemaker.send(config('alpha-2', [{ variant: 'blue', model: 'alpha', count: 2 }]));
    await sagemaker.send(config('beta-1', [{ variant: 'green', model: 'beta' }]));
    await sagemaker.send(config('exits-1', [{ variant: 'blue', model: 'exits' }]));
    await sagemaker.send(config('missing-1', [{ variant: 'blue', model: 'missing-data' }]));
    await sagemaker.send(config('slow-1', [{ variant: 'blue', model: 'slow' }]));
    await sagemaker.send(config('split', [{ variant: 'a', model: 'alpha' }, { variant: 'b', model: 'beta' }]));
  });
  after(async () => {
    await stop();
    scratch.remove();
  });

  it('goes InService once its instances pass /ping, and answers invocations from the model', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'chat', EndpointConfigName: 'alpha-2' }));
    assert.equal((await describeEndpoint('chat')).EndpointStatus, 'Creating');
    const endpoint = await inService('chat');
    assert.equal(endpoint.EndpointStatus, 'InService', endpoint.FailureReason);
    assert.deepEqual(endpoint.ProductionVariants?.map((variant) => [variant.VariantName, variant.CurrentInstanceCount]), [['blue', 2]]);

    const answer = await invoke('chat', { prompt: 'hi' }, { CustomAttributes: 'trace=1' });
    assert.equal(answer.json.model, 'alpha');
    assert.equal(answer.json.greeting, 'hello'); // the model's Environment
    assert.equal(answer.json.body, '{"prompt":"hi"}');
    assert.equal(answer.json.accept, 'application/json');
    // Each instance in its own namespace finds the model at /opt/ml/model and runs in /opt/ml/model/code.
    assert.deepEqual([answer.json.modelDir, answer.json.cwd, answer.json.literalModel], ['/opt/ml/model', '/opt/ml/model/code', true]);
    assert.equal(answer.ContentType, 'application/json');
    assert.equal(answer.InvokedProductionVariant, 'blue');
    assert.equal(answer.CustomAttributes, 'echo:trace=1');
    // Two instances share the traffic.
    const pids = new Set<string | number>();
    for (let call = 0; call < 6; call++) pids.add((await invoke('chat', 'x')).json.pid);
    assert.equal(pids.size, 2);
  });

  it('answers the AWS CLI, an independent client', async () => {
    const out = path.join(scratch.path, 'cli-answer.json');
    const printed = JSON.parse(
      await awsCli(emulator.url, scratch.path, 'sagemaker-runtime', 'invoke-endpoint', '--endpoint-name', 'chat', '--content-type', 'application/json', '--body', Buffer.from('{"cli":true}').toString('base64'), out),
    ) as { ContentType: string; InvokedProductionVariant: string };
    assert.equal(printed.ContentType, 'application/json');
    assert.equal(printed.InvokedProductionVariant, 'blue');
    const answer = JSON.parse(readFileSync(out, 'utf8')) as { model: string; body: string };
    assert.equal(answer.model, 'alpha');
    assert.equal(answer.body, '{"cli":true}');
  });

  it('writes each instance log to /aws/sagemaker/Endpoints/<name> in a <variant>/<instance> stream', async () => {
    const group = '/aws/sagemaker/Endpoints/chat';
    const lines = await until('the invocation in the log', async () => {
      const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
      const all: string[] = [];
      for (const stream of logStreams) {
        assert.match(stream.logStreamName ?? '', /^blue\/i-[0-9a-f]{17}$/);
        const { events = [] } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream.logStreamName, startFromHead: true }));
        all.push(...events.map((event) => event.message ?? ''));
      }
      return all.some((line) => line.includes('invocation {"prompt":"hi"}')) ? all : undefined;
    });
    assert.ok(lines.includes('serving alpha'));
  });

  it('streams the container response as PayloadPart events as it is produced', async () => {
    const response = await runtime.send(
      new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'chat', Body: JSON.stringify({ stream: 5 }), ContentType: 'application/json' }),
    );
    assert.equal(response.ContentType, 'text/event-stream');
    assert.equal(response.InvokedProductionVariant, 'blue');
    const parts: string[] = [];
    for await (const event of response.Body!) {
      if (event.PayloadPart?.Bytes) parts.push(Buffer.from(event.PayloadPart.Bytes).toString('utf8'));
    }
    assert.ok(parts.length > 1, `expected several parts, got ${parts.length}`);
    assert.equal(parts.join(''), [0, 1, 2, 3, 4].map((part) => `data: alpha part ${part}\n\n`).join(''));
  });

  it('ends a stream the container breaks off with a ModelStreamError', async () => {
    // The SDK reads the stream's first event inside send(): a break-off that comes that early
    // rejects send() itself (seen on a loaded machine), a later one the iteration.
    const error = await rejection(
      (async () => {
        const response = await runtime.send(
          new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'chat', Body: JSON.stringify({ stream: 2, breakOff: true }) }),
        );
        for await (const event of response.Body!) void event;
      })(),
    );
    assert.equal(error.name, 'ModelStreamError');
    assert.match(error.message, /broke/);
  });

  it('answers a container error as ModelError with its status and message', async () => {
    const error = (await rejection(invoke('chat', { status: 400, message: 'prompt too long' }))) as Error & {
      OriginalStatusCode?: number;
      OriginalMessage?: string;
      LogStreamArn?: string;
      $metadata: { httpStatusCode?: number };
    };
    assert.equal(error.name, 'ModelError');
    assert.equal(error.$metadata.httpStatusCode, 424);
    assert.equal(error.OriginalStatusCode, 400);
    assert.equal(error.OriginalMessage, 'prompt too long');
    assert.equal(error.LogStreamArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/chat');
    assert.match(error.message, /^Received client error \(400\) from primary with message "prompt too long"\. See https:\/\//);
    const streamed = await rejection(runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'chat', Body: JSON.stringify({ status: 503 }) })));
    assert.equal(streamed.name, 'ModelError');
    assert.match(streamed.message, /^Received server error \(503\)/);
  });

  it('refuses unknown endpoints, variants and oversized bodies with ValidationError', async () => {
    const unknown = await rejection(invoke('nobody', 'x'));
    assert.equal(unknown.name, 'ValidationError');
    assert.equal(unknown.message, 'Endpoint nobody of account 000000000000 not found.');
    assert.equal(unknown.$metadata.httpStatusCode, 400);
    assert.equal((await rejection(invoke('chat', 'x', { TargetVariant: 'red' }))).name, 'ValidationError');
    const large = await rejection(invoke('chat', 'x'.repeat(6 * 1024 * 1024 + 1)));
    assert.equal(large.name, 'ValidationError');
    assert.match(large.message, /less than or equal to 6291456/);
  });

  it('replaces an instance that crashes', async () => {
    const crashed = await rejection(invoke('chat', { crash: true }));
    assert.equal(crashed.name, 'ModelError');
    // Both instances answer again once the crashed one is replaced.
    await until('a replaced instance', async () => {
      const pids = new Set<string | number>();
      for (let call = 0; call < 6; call++) {
        const answer = await invoke('chat', 'x').catch(() => undefined);
        if (answer) pids.add(answer.json.pid);
      }
      return pids.size === 2 ? true : undefined;
    });
  });

  it('scales a variant in place: Updating while instances start or stop, then InService', async () => {
    const before = new Set<string | number>();
    for (let call = 0; call < 6; call++) before.add((await invoke('chat', 'x')).json.pid);
    await sagemaker.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'chat', DesiredWeightsAndCapacities: [{ VariantName: 'blue', DesiredInstanceCount: 1 }] }));
    assert.equal((await describeEndpoint('chat')).EndpointStatus, 'Updating');
    const endpoint = await inService('chat');
    assert.deepEqual(endpoint.ProductionVariants?.map((variant) => [variant.CurrentInstanceCount, variant.DesiredInstanceCount]), [[1, 1]]);
    const after = new Set<string | number>();
    for (let call = 0; call < 4; call++) after.add((await invoke('chat', 'x')).json.pid);
    assert.equal(after.size, 1);
    const stopped = [...before].filter((pid) => !after.has(pid));
    await until('the scaled-in instance to exit', async () => (stopped.every((pid) => !running(Number(pid))) ? true : undefined));
  });

  it('is scaled into the bounds of a new scalable target, as a scaling activity', async () => {
    const resourceId = 'endpoint/chat/variant/blue';
    await autoscaling.send(
      new RegisterScalableTargetCommand({ ServiceNamespace: 'sagemaker', ResourceId: resourceId, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount', MinCapacity: 2, MaxCapacity: 3 }),
    );
    assert.equal((await describeEndpoint('chat')).EndpointStatus, 'Updating');
    const endpoint = await inService('chat');
    assert.deepEqual(endpoint.ProductionVariants?.map((variant) => variant.CurrentInstanceCount), [2]);
    const { ScalingActivities = [] } = await autoscaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: resourceId }));
    assert.equal(ScalingActivities[0]?.Description, 'Setting desired instance count to 2.');
    assert.equal(ScalingActivities[0]?.Cause, 'minimum capacity was set to 2');
  });

  it('publishes its invocations to CloudWatch as AWS/SageMaker metrics', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'counted', EndpointConfigName: 'beta-1' }));
    assert.equal((await inService('counted')).EndpointStatus, 'InService');
    for (let call = 0; call < 3; call++) await invoke('counted', 'x');
    await rejection(invoke('counted', { status: 500 }));
    const statistic = (name: string, samples: number) =>
      until(`the ${name} metric`, async () => {
        const { Datapoints = [] } = await cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/SageMaker',
            MetricName: name,
            Dimensions: [{ Name: 'EndpointName', Value: 'counted' }, { Name: 'VariantName', Value: 'green' }],
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            Period: 3600,
            Statistics: ['Sum', 'SampleCount'],
          }),
        );
        return Datapoints.length > 0 && (Datapoints[0].SampleCount ?? 0) >= samples ? Datapoints[0] : undefined;
      });
    assert.equal((await statistic('Invocations', 4)).Sum, 4);
    assert.equal((await statistic('InvocationModelErrors', 4)).Sum, 1);
    // Latency is measured on the invocations the model answered.
    const latency = await statistic('ModelLatency', 3);
    assert.equal(latency.SampleCount, 3);
    assert.ok((latency.Sum ?? 0) > 0);
  });

  it('scales out under load and back in when idle, by its target tracking policy', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'busy', EndpointConfigName: 'beta-1' }));
    assert.equal((await inService('busy')).EndpointStatus, 'InService');
    const target = { ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/busy/variant/green', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' } as const;
    await autoscaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 3 }));
    await autoscaling.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'invocations',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60, // per instance per minute
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          ScaleInCooldown: 0,
          ScaleOutCooldown: 0,
        },
      }),
    );
    const instances = async () => (await describeEndpoint('busy')).ProductionVariants?.[0]?.CurrentInstanceCount;
    // Load: a few invocations per metric period is far above 60 a minute.
    let load = true;
    const loading = (async () => {
      while (load) await invoke('busy', 'x').catch(() => undefined);
    })();
    try {
      await until('scale-out to the maximum', async () => ((await instances()) === 3 ? true : undefined), 30_000);
    } finally {
      // The load ends with the wait, whether or not it scaled out.
      load = false;
      await loading;
    }
    await until('scale-in to the minimum', async () => ((await instances()) === 1 && (await describeEndpoint('busy')).EndpointStatus === 'InService' ? true : undefined), 30_000);
    const { ScalingActivities = [] } = await autoscaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: target.ResourceId }));
    const descriptions = ScalingActivities.map((activity) => activity.Description);
    assert.ok(descriptions.includes('Setting desired instance count to 3.'), descriptions.join('; '));
    assert.ok(descriptions.includes('Setting desired instance count to 1.'), descriptions.join('; '));
    assert.ok(ScalingActivities.every((activity) => activity.StatusCode === 'Successful'));
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'busy' }));
  });

  it('deploys an update blue/green: the old model serves until the new one is healthy', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'rollout', EndpointConfigName: 'alpha-2' }));
    assert.equal((await inService('rollout')).EndpointStatus, 'InService');
    await sagemaker.send(new UpdateEndpointCommand({ EndpointName: 'rollout', EndpointConfigName: 'beta-1' }));
    const updating = await describeEndpoint('rollout');
    assert.equal(updating.EndpointStatus, 'Updating');
    assert.equal(updating.PendingDeploymentSummary?.EndpointConfigName, 'beta-1');
    assert.equal((await invoke('rollout', 'x')).json.model, 'alpha');
    const updated = await inService('rollout');
    assert.equal(updated.EndpointConfigName, 'beta-1');
    assert.deepEqual(updated.ProductionVariants?.map((variant) => variant.VariantName), ['green']);
    const answer = await invoke('rollout', 'x');
    assert.equal(answer.json.model, 'beta');
    assert.equal(answer.InvokedProductionVariant, 'green');
  });

  it('rolls a failed update back, still serving the old model, with the reason', async () => {
    await sagemaker.send(new UpdateEndpointCommand({ EndpointName: 'rollout', EndpointConfigName: 'exits-1' }));
    const rolledBack = await until('the rollback', async () => {
      const endpoint = await describeEndpoint('rollout');
      return endpoint.EndpointStatus === 'InService' ? endpoint : undefined;
    });
    assert.equal(rolledBack.EndpointConfigName, 'beta-1');
    assert.match(rolledBack.FailureReason ?? '', /^The container exited \(exit code 3\) before it passed the \/ping health check/);
    assert.equal((await invoke('rollout', 'x')).json.model, 'beta');
  });

  it('serves a registered model version: a model whose container names the model package', async () => {
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'served' }));
    const { ModelPackageArn: arn } = await sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'served',
        InferenceSpecification: {
          Containers: [{ Image: 'sagemaker-emulator/node', ModelDataUrl: `s3://${BUCKET}/beta/model.tar.gz`, Environment: { SAGEMAKER_PROGRAM: 'serve.js', GREETING: 'from the package' } }],
          SupportedContentTypes: ['application/json'],
          SupportedResponseMIMETypes: ['application/json'],
        },
      }),
    );
    // As the SageMaker Python SDK's ModelPackage makes it: the container names the version, nothing else.
    await sagemaker.send(new CreateModelCommand({ ModelName: 'from-version', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole', PrimaryContainer: { ModelPackageName: arn } }));
    const model = await sagemaker.send(new DescribeModelCommand({ ModelName: 'from-version' }));
    assert.deepEqual(model.PrimaryContainer, { ModelPackageName: arn });
    await sagemaker.send(config('version-1', [{ variant: 'AllTraffic', model: 'from-version' }]));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'versioned', EndpointConfigName: 'version-1' }));
    assert.equal((await inService('versioned')).EndpointStatus, 'InService');
    const answer = await invoke('versioned', 'x');
    assert.equal(answer.json.model, 'beta');
    assert.equal(answer.json.greeting, 'from the package');

    const missing = await rejection(
      sagemaker.send(new CreateModelCommand({ ModelName: 'no-version', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole', PrimaryContainer: { ModelPackageName: `${arn!.replace(/\/\d+$/, '')}/99` } })),
    );
    assert.equal(missing.name, 'ValidationException');
    assert.match(missing.message, /Model package .*served\/99 does not exist/);
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'versioned' }));
  });

  it('fails to create when the model data is missing or the container exits, with the reason', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'no-data', EndpointConfigName: 'missing-1' }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'crashes', EndpointConfigName: 'exits-1' }));
    const failed = async (name: string) => until(`${name} to fail`, async () => {
      const endpoint = await describeEndpoint(name);
      return endpoint.EndpointStatus === 'Failed' ? endpoint : undefined;
    });
    assert.match((await failed('no-data')).FailureReason ?? '', /^Failed to download model data: /);
    assert.match((await failed('crashes')).FailureReason ?? '', /exit code 3/);
    assert.equal((await rejection(invoke('crashes', 'x'))).name, 'ValidationError');
  });

  it('answers as not found while the endpoint is Creating', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'warming', EndpointConfigName: 'slow-1' }));
    const early = await rejection(invoke('warming', 'x'));
    assert.equal(early.message, 'Endpoint warming of account 000000000000 not found.');
    assert.equal((await inService('warming')).EndpointStatus, 'InService');
    assert.equal((await invoke('warming', 'x')).json.model, 'alpha');
  });

  it('routes by variant weight, or to the TargetVariant asked for', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'ab', EndpointConfigName: 'split' }));
    assert.equal((await inService('ab')).EndpointStatus, 'InService');
    assert.equal((await invoke('ab', 'x', { TargetVariant: 'b' })).json.model, 'beta');
    assert.equal((await invoke('ab', 'x', { TargetVariant: 'a' })).json.model, 'alpha');
    await sagemaker.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'ab', DesiredWeightsAndCapacities: [{ VariantName: 'a', DesiredWeight: 0 }] }));
    await inService('ab');
    for (let call = 0; call < 5; call++) assert.equal((await invoke('ab', 'x')).InvokedProductionVariant, 'b');
  });

  it('keeps serving after its configuration and model are deleted, and restarts with the emulator', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'kept', EndpointConfigName: 'beta-1' }));
    assert.equal((await inService('kept')).EndpointStatus, 'InService');
    const oldPid = Number((await invoke('kept', 'x')).json.pid);
    await sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'beta-1' }));
    await sagemaker.send(new DeleteModelCommand({ ModelName: 'beta' }));
    await stop();
    assert.equal(running(oldPid), false);
    await start();
    const answer = await until('the restarted endpoint to answer', () => invoke('kept', 'x').catch(() => undefined));
    assert.equal(answer.json.model, 'beta');
    assert.notEqual(Number(answer.json.pid), oldPid);
  });

  it('is still created after an emulator restart while it was Creating', async () => {
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'restarted', EndpointConfigName: 'slow-1' }));
    await until('an instance to start', async () => (processesUnder(scratch.path).length > 0 ? true : undefined));
    await stop();
    await start();
    const endpoint = await inService('restarted');
    assert.equal(endpoint.EndpointStatus, 'InService', endpoint.FailureReason);
    assert.equal((await invoke('restarted', 'x')).json.model, 'alpha');
  });

  it('stops its instances when deleted: Deleting, then gone', async () => {
    const pid = Number((await invoke('kept', 'x')).json.pid);
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'kept' }));
    assert.equal((await describeEndpoint('kept')).EndpointStatus, 'Deleting');
    await waitUntilEndpointDeleted({ client: sagemaker, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { EndpointName: 'kept' });
    assert.equal(running(pid), false);
    assert.equal((await rejection(invoke('kept', 'x'))).name, 'ValidationError');
  });
});
