// Unit tests of training container contract.
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { containerLaunch, ImageNotFound, ImageRegistry } from '../../../../../emulator/runtime/hosts/images';
import { finalMetrics, metricMatcher } from '../../../../../emulator/runtime/jobs/metrics';
import { trainingHostSpec, type TrainingHostPlan } from '../../../../../emulator/runtime/jobs/trainingHost';
import { hostLayout, hostNames, prepareHost } from '../../../../../emulator/runtime/jobs/trainingLayout';

const job: CreateTrainingJobCommandInput = {
  TrainingJobName: 'contract',
  AlgorithmSpecification: { TrainingImage: 'img', TrainingInputMode: 'File' },
  RoleArn: 'arn:aws:iam::000000000000:role/r',
  HyperParameters: { epochs: '3', 'learning-rate': '0.01' },
  InputDataConfig: [
    { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/train/', S3DataDistributionType: 'ShardedByS3Key' } } },
    { ChannelName: 'validation', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/val/' } } },
  ],
  OutputDataConfig: { S3OutputPath: 's3://b/out/' },
  ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
  StoppingCondition: { MaxRuntimeInSeconds: 60 },
};

describe('training container contract', () => {
  it('lays out /opt/ml per host and writes the three config files as SageMaker does', async () => {
    const jobDir = mkdtempSync(path.join(tmpdir(), 'contract-'));
    const hosts = hostNames(2);
    const layout = hostLayout(jobDir, hosts[1]);
    await prepareHost(layout, job, hosts);
    assert.equal(layout.root, path.join(jobDir, 'algo-2', 'opt', 'ml'));
    const config = (name: string) => JSON.parse(readFileSync(path.join(layout.configDir, name), 'utf8'));
    assert.deepEqual(config('hyperparameters.json'), { epochs: '3', 'learning-rate': '0.01' });
    assert.deepEqual(config('resourceconfig.json'), {
      current_host: 'algo-2',
      current_instance_type: 'ml.m5.large',
      current_group_name: 'homogeneousCluster',
      hosts: ['algo-1', 'algo-2'],
      instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: 'ml.m5.large', hosts: ['algo-1', 'algo-2'] }],
      network_interface_name: 'lo',
    });
    assert.deepEqual(config('inputdataconfig.json').train, {
      TrainingInputMode: 'File',
      S3DistributionType: 'ShardedByS3Key',
      RecordWrapperType: 'None',
    });
  });

  it('maps CheckpointConfig.LocalPath under the host root', () => {
    assert.equal(hostLayout('/jobs/x', 'algo-1').checkpointDir, '/jobs/x/algo-1/opt/ml/checkpoints');
    assert.equal(hostLayout('/jobs/x', 'algo-1', '/opt/ml/ckpt').checkpointDir, '/jobs/x/algo-1/opt/ml/ckpt');
  });

  const plan = (overrides: Partial<TrainingHostPlan>): TrainingHostPlan => ({
    request: job,
    image: { command: ['python3'] },
    layout: hostLayout('/jobs/x', 'algo-2'),
    hosts: ['algo-1', 'algo-2'],
    sandbox: undefined,
    rendezvous: { masterAddr: '127.0.0.1', masterPort: 29500, hostAddresses: ['127.0.0.1:29500', '127.0.0.1:29501'] },
    code: undefined,
    packagesDir: '/jobs/x/algo-2/python-packages',
    jobName: 'contract',
    jobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/contract',
    region: 'us-east-1',
    ...overrides,
  });

  it('gives every host the toolkit environment: decoded hyperparameters, SM_* paths, the rendezvous', async () => {
    const { steps } = await trainingHostSpec(plan({}));
    const env = steps[0].env;
    assert.equal(env.SM_MODEL_DIR, '/jobs/x/algo-2/opt/ml/model');
    assert.equal(env.SM_CHANNEL_TRAIN, '/jobs/x/algo-2/opt/ml/input/data/train');
    assert.equal(env.SM_CHANNEL_VALIDATION, '/jobs/x/algo-2/opt/ml/input/data/validation');
    assert.deepEqual(JSON.parse(env.SM_CHANNELS), ['train', 'validation']);
    // Each value json.loads-ed, as the toolkit does: 3 and 0.01 are numbers; names keep their hyphens.
    assert.equal(env.SM_HPS, '{"epochs":3,"learning-rate":0.01}');
    assert.equal(env.SM_HP_EPOCHS, '3');
    assert.equal(env['SM_HP_LEARNING-RATE'], '0.01');
    assert.deepEqual(JSON.parse(env.SM_USER_ARGS), ['--epochs', '3', '--learning-rate', '0.01']);
    assert.deepEqual(JSON.parse(env.SM_HOSTS), ['algo-1', 'algo-2']);
    assert.equal(env.SM_CURRENT_HOST, 'algo-2');
    assert.equal(env.TRAINING_JOB_NAME, 'contract');
    assert.equal(JSON.parse(env.SM_TRAINING_ENV).master_hostname, 'algo-1');
    assert.deepEqual([env.MASTER_ADDR, env.MASTER_PORT], ['127.0.0.1', '29500']);
    assert.equal(env.RANK, undefined, 'the toolkit sets no RANK (torchrun would)');
    // Without a namespace, what a script cannot find by SageMaker's literal paths.
    assert.equal(env.SM_CHECKPOINT_DIR, '/jobs/x/algo-2/opt/ml/checkpoints');
    assert.deepEqual(JSON.parse(env.SM_EMULATOR_HOST_ADDRESSES), ['127.0.0.1:29500', '127.0.0.1:29501']);
  });

  it('in its namespace, gives the script /opt/ml paths and algo-1:7777', async () => {
    const { steps } = await trainingHostSpec(
      plan({ sandbox: { launcher: '/usr/bin/bwrap', optMl: '/jobs/x/algo-2/opt/ml', hostsFile: '/jobs/x/hosts' }, rendezvous: { masterAddr: 'algo-1', masterPort: 7777 } }),
    );
    const env = steps[0].env;
    assert.equal(env.SM_MODEL_DIR, '/opt/ml/model');
    assert.equal(env.SM_CHANNEL_TRAIN, '/opt/ml/input/data/train');
    assert.equal(env.SM_EMULATOR_OPT_ML, '/opt/ml');
    assert.deepEqual([env.MASTER_ADDR, env.MASTER_PORT], ['algo-1', '7777']);
    assert.equal(env.SM_CHECKPOINT_DIR, undefined);
    assert.equal(env.SM_EMULATOR_HOST_ADDRESSES, undefined);
    assert.deepEqual(steps[0].launch.sandbox, { launcher: '/usr/bin/bwrap', optMl: '/jobs/x/algo-2/opt/ml', hostsFile: '/jobs/x/hosts' });
  });

  it('runs script mode as the training toolkit does: through a shell, sagemaker_* consumed, arguments sorted', async () => {
    const request = {
      ...job,
      HyperParameters: {
        sagemaker_program: '"train.py"',
        sagemaker_submit_directory: '"s3://b/job/source/sourcedir.tar.gz"',
        sagemaker_container_log_level: '20',
        sagemaker_region: '"us-east-1"',
        backend: '"gloo"',
        epochs: '2',
        lr: '1e-5',
        b: 'true',
      },
    };
    const { steps } = await trainingHostSpec(plan({ request, code: { files: ['train.py'] }, image: { command: ['/usr/bin/python3'] } }));
    assert.equal(steps.length, 1);
    const { launch, env } = steps[0];
    assert.deepEqual([launch.command, launch.args], ['/bin/sh', ['-c', '/usr/bin/python3 train.py -b True --backend gloo --epochs 2 --lr 1e-05']]);
    assert.equal(launch.cwd, '/jobs/x/algo-2/opt/ml/code');
    assert.equal(env.SM_HPS, '{"b":true,"backend":"gloo","epochs":2,"lr":1e-05}');
    assert.equal(env.SM_HP_BACKEND, 'gloo');
    assert.equal(env.SM_MODULE_NAME, 'train');
    assert.equal(env.SM_USER_ENTRY_POINT, 'train.py');
    assert.equal(env.SM_MODULE_DIR, 's3://b/job/source/sourcedir.tar.gz');
    assert.equal(env.SM_LOG_LEVEL, '20');
    assert.equal(env.SM_FRAMEWORK_PARAMS, '{}');
    assert.equal(env.PYTHONPATH, '/jobs/x/algo-2/opt/ml/code');
    assert.equal(env.SAGEMAKER_REGION, 'us-east-1');
  });
});

describe('metric definitions', () => {
  it('turns matching log lines into samples and keeps the last as final', () => {
    const matcher = metricMatcher([
      { Name: 'train:loss', Regex: 'loss=([0-9.]+)' },
      { Name: 'val:loss', Regex: 'val_loss=([0-9.]+)' },
      { Name: 'broken', Regex: '(unclosed' },
    ]);
    const samples = [
      ...matcher.samples('step=10 loss=2.50 val_loss=2.60', 1000),
      ...matcher.samples('warming up', 1500),
      ...matcher.samples('step=20 loss=2.10 val_loss=2.30', 2000),
    ];
    assert.deepEqual(
      samples.map((sample) => [sample.name, sample.value]),
      [['train:loss', 2.5], ['val:loss', 2.6], ['train:loss', 2.1], ['val:loss', 2.3]],
    );
    assert.deepEqual(
      finalMetrics(samples).map((metric) => [metric.MetricName, metric.Value, metric.timestamp]),
      [['train:loss', 2.1, 2000], ['val:loss', 2.3, 2000]],
    );
  });
});

describe('images', () => {
  it('matches by full URI, URI without tag, or repository name; reads the user map', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'images-')), 'images.json');
    writeFileSync(file, JSON.stringify({ images: { '123.dkr.ecr.us-east-1.amazonaws.com/mine': { command: ['python3'], cwd: '/src' } } }));
    const registry = await ImageRegistry.load({ 'sagemaker-emulator/node': { command: ['node'] } }, file);
    assert.deepEqual(registry.resolve('123.dkr.ecr.us-east-1.amazonaws.com/mine:v3').command, ['python3']);
    assert.deepEqual(registry.resolve('sagemaker-emulator/node:20').command, ['node']);
    assert.throws(() => registry.resolve('nobody/else:1'), (error: Error) => error instanceof ImageNotFound && /image map/.test(error.message));
  });

  it('rejects a malformed image map with the file and entry named', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'images-')), 'images.json');
    writeFileSync(file, JSON.stringify({ images: { broken: { command: 'python3 train.py' } } }));
    await assert.rejects(ImageRegistry.load({}, file), /images\["broken"\]\.command/);
  });

  it("runs the image's command, or the job's ContainerEntrypoint, with ContainerArguments", () => {
    const image = { command: ['node', 'serve.js'], cwd: '/srv' };
    assert.deepEqual(containerLaunch(image, { ContainerArguments: ['--x'] }), { command: 'node', args: ['serve.js', '--x'], cwd: '/srv', env: {} });
    assert.deepEqual(containerLaunch(image, { ContainerEntrypoint: ['bash', '-c'], ContainerArguments: ['echo hi'] }), {
      command: 'bash',
      args: ['-c', 'echo hi'],
      cwd: '/srv',
      env: {},
    });
  });
});
