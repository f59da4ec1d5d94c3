// A user's own train.py, written as SageMaker's PyTorch examples write it and submitted as the
// SageMaker Python SDK's PyTorch estimator submits it (sourcedir.tar.gz in S3, every hyperparameter
// JSON-encoded, sagemaker_* among them), runs unchanged: the training toolkit's hyperparameters and
// environment, /opt/ml as the host's own folder, algo-N resolving to each host's own loopback
// address, MASTER_ADDR=algo-1 and MASTER_PORT=7777, the toolkit's failure reports. The image is a
// PyTorch deep learning container mapped to Debian's python3, as a user maps it.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateProcessingJobCommand, CreateTrainingJobCommand, type CreateTrainingJobCommandInput, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../../../emulator/server';
import { BUCKET, expectedMasterPorts, frameworkJob, hostLogs, uploadSourceDir } from '../../frameworkJobs';
import { archiveFiles } from '../../runtimeTestHelpers';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';
import { until } from '../../../../harness/waiting';
import { FAST_TIMING, FIXTURES, finishedProcessingJob, finishedTrainingJob } from '../../runtimeTestHelpers';

const PYTORCH_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.1-cpu-py310';
/** The same container, as if its Python had no pip. */
const NO_PIP_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/no-pip:1';
const SCRIPT_DIR = path.join(FIXTURES, 'pytorch-style');
const pytorchJob = (name: string, user: Record<string, string | number>, overrides: Partial<CreateTrainingJobCommandInput> = {}) =>
  frameworkJob(name, PYTORCH_IMAGE, user, overrides);

async function objectText(s3: S3Client, key: string): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Body!.transformToString();
}

/** `127.A.B.N` for host N of a job, as the script logs `algo-N is <address>`. */
function loggedAddress(lines: string[], host: string): string {
  const line = lines.find((text) => text.startsWith(`${host} is `));
  assert.ok(line, `${host} logged its address:\n${lines.join('\n')}`);
  return line.split(' ')[2].replace(';', '');
}

/** The `host:port` each line of a host's log says it met at (`rendezvous at algo-1:<port> (<address>)`). */
function rendezvousPort(lines: string[]): string {
  const line = lines.find((text) => text.includes(' rendezvous at '));
  assert.ok(line, `a host logged its rendezvous:\n${lines.join('\n')}`);
  return /rendezvous at algo-1:(\d+) /.exec(line)![1];
}

/** `%(asctime)s %(name)-12s %(levelname)-8s %(message)s` (logging_config.py). */
const TOOLKIT_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} sagemaker-training-toolkit (INFO {5}|ERROR {4})/;

describe('the training toolkit contract, in each host\'s own /opt/ml', () => {
  let emulator: RunningEmulator;
  let dataDir: ReturnType<typeof makeTempDir>;
  let s3: S3Client;
  let sageMaker: SageMakerClient;
  let logs: CloudWatchLogsClient;
  const emulatorLog: string[] = [];

  before(async () => {
    dataDir = makeTempDir('toolkit');
    // A Python "without pip": the image's interpreter refuses `-m pip` as Python does when pip is missing.
    const noPip = path.join(dataDir.path, 'python3-without-pip');
    writeFileSync(noPip, '#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = pip ]; then echo "$0: No module named pip" >&2; exit 1; fi\nexec /usr/bin/python3 "$@"\n');
    chmodSync(noPip, 0o755);
    writeFileSync(
      path.join(dataDir.path, 'images.json'),
      JSON.stringify({ images: { [PYTORCH_IMAGE.split(':')[0]]: { command: ['/usr/bin/python3'] }, [NO_PIP_IMAGE.split(':')[0]]: { command: [noPip] } } }),
    );
    emulator = await startEmulator({ dataDir: dataDir.path, runtime: { timing: FAST_TIMING, maxConcurrentJobs: 2 }, log: (line) => emulatorLog.push(line) });
    s3 = s3Client(emulator.url);
    sageMaker = sagemakerClient(emulator.url);
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `data/training/${name}`, Body: name }));
  });

  after(async () => {
    for (const client of [s3, sageMaker, logs]) client.destroy();
    await emulator.close();
    dataDir.remove();
  });

  it('runs an SDK-submitted 2-host job: decoded hyperparameters, algo-1:7777, literal /opt/ml, spot-reclaimed and resumed', async () => {
    const name = 'pytorch-style-spot';
    await uploadSourceDir(s3, name, SCRIPT_DIR);
    await sageMaker.send(
      new CreateTrainingJobCommand(
        pytorchJob(
          name,
          { backend: 'gloo', epochs: 8, lr: 0.05, 'step-seconds': 0.4 },
          {
            ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 },
            CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/${name}/` },
            EnableManagedSpotTraining: true,
            StoppingCondition: { MaxRuntimeInSeconds: 300, MaxWaitTimeInSeconds: 600 },
          },
        ),
      ),
    );
    await until('a checkpoint of epoch 2 in S3', async () => {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `checkpoints/${name}/epoch-2` }));
      return Contents.length > 0 ? true : undefined;
    }, 60_000);
    const fault = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'spot-interruption', trainingJobName: name }),
    });
    assert.equal(fault.status, 200, await fault.text());
    const job = await finishedTrainingJob(sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const statuses = job.SecondaryStatusTransitions?.map((transition) => transition.Status) ?? [];
    assert.ok(statuses.indexOf('Restarting') > statuses.indexOf('Interrupted') && statuses.includes('Interrupted'), statuses.join(' → '));

    const byHost = await hostLogs(logs, name);
    assert.deepEqual([...byHost.keys()].sort(), ['algo-1', 'algo-2']);
    const [first, second] = [byHost.get('algo-1')!, byHost.get('algo-2')!];
    // Each host resolves algo-N to its own loopback address, the same two on both hosts and after the restart.
    const addresses = [loggedAddress(first, 'algo-1'), loggedAddress(second, 'algo-2')];
    assert.match(addresses[0], /^127\.\d+\.\d+\.1$/);
    assert.equal(addresses[1], addresses[0].replace(/\.1$/, '.2'));
    const ports = expectedMasterPorts(emulatorLog, name);
    for (const lines of [first, second]) {
      assert.ok(lines.some((line) => ports.some((port) => line.includes(`rendezvous at algo-1:${port} (${addresses[0]})`))), lines.join('\n'));
      assert.ok(lines.some((line) => /^algo-\d resumed from epoch [2-7]$/.test(line)), `resumed after the reclaim:\n${lines.join('\n')}`);
      // The toolkit's invocation: the SDK's JSON quotes gone, arguments sorted, sagemaker_* not among them.
      const invocation = lines.indexOf('Invoking script with the following command:');
      assert.ok(invocation > 0 && lines.slice(0, invocation).some((line) => TOOLKIT_LINE.test(line) && line.endsWith('Invoking user script')), lines.join('\n'));
      assert.equal(lines[invocation + 1], '/usr/bin/python3 train.py --backend gloo --epochs 8 --lr 0.05 --step-seconds 0.4');
      assert.match(lines.at(-1)!, new RegExp(`${TOOLKIT_LINE.source}Reporting training SUCCESS$`));
    }
    assert.ok(first.includes("rank 0 met ['algo-2']"), first.join('\n'));
    assert.ok(second.includes('rank 1 joined, master says welcome'), second.join('\n'));

    const model = JSON.parse((await archiveFiles(s3, BUCKET, `${name}/output/model.tar.gz`)).get('model.json')!) as Record<string, unknown>;
    assert.equal(model.backend, 'gloo');
    assert.equal(model.lr, 0.05);
    assert.equal(model.samples, 3);
    assert.deepEqual(model.peers, ['algo-2']);
    assert.ok((model.resumed_from as number) >= 2);
    assert.deepEqual(model.hps, { backend: 'gloo', epochs: 8, lr: 0.05, 'step-seconds': 0.4 });
    // algo-1's /opt/ml as its script listed it: its own files, by their literal paths.
    const files = JSON.parse((await archiveFiles(s3, BUCKET, `${name}/output/output.tar.gz`)).get('files.json')!) as string[];
    for (const file of ['code/train.py', 'input/config/hyperparameters.json', 'input/config/resourceconfig.json', 'input/data/training/a.txt', 'model/model.json', 'checkpoints/epoch-8.json']) {
      assert.ok(files.includes(file), `${file} in ${files.join(', ')}`);
    }
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `checkpoints/${name}/` }));
    assert.deepEqual(
      Contents.map((object) => object.Key).sort(),
      Array.from({ length: 8 }, (_, index) => `checkpoints/${name}/epoch-${index + 1}.json`).sort(),
    );
  });

  it('reports a failed script as the toolkit does: ExecuteUserScriptError in FailureReason and the last log lines', async () => {
    const name = 'pytorch-style-bad-backend';
    await uploadSourceDir(s3, name, SCRIPT_DIR);
    await sageMaker.send(new CreateTrainingJobCommand(pytorchJob(name, { backend: 'mpi', epochs: 1 })));
    const job = await finishedTrainingJob(sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Failed');
    // process.watch keeps the traceback from its first line naming an error; errors.py formats it.
    const expected = [
      'ExecuteUserScriptError:',
      'ExitCode 1',
      `ErrorMessage "raise ValueError(f"Invalid backend: '{args.backend}'")`,
      ` ValueError: Invalid backend: 'mpi'"`,
      'Command "/usr/bin/python3 train.py --backend mpi --epochs 1"',
    ];
    assert.equal(job.FailureReason, `AlgorithmError: ${expected.join('\n')}`);
    const lines = (await hostLogs(logs, name)).get('algo-1')!;
    const tail = lines.slice(-7);
    assert.match(tail[0], new RegExp(`${TOOLKIT_LINE.source}Reporting training FAILURE$`));
    assert.match(tail[1], new RegExp(`${TOOLKIT_LINE.source}ExecuteUserScriptError:$`));
    assert.deepEqual(tail.slice(2, 6), expected.slice(1));
    assert.match(tail[6], new RegExp(`${TOOLKIT_LINE.source}Encountered exit_code 1$`));
    // The script's own traceback is in the log too, as the toolkit streams it.
    assert.ok(lines.includes("ValueError: Invalid backend: 'mpi'"), lines.join('\n'));
  });

  it('takes FailureReason from /opt/ml/output/failure when the script wrote one, as SageMaker does', async () => {
    const name = 'pytorch-style-failure-file';
    await uploadSourceDir(s3, name, SCRIPT_DIR);
    await sageMaker.send(new CreateTrainingJobCommand(pytorchJob(name, { backend: 'gloo', epochs: 3, 'fail-at-epoch': 2 })));
    const job = await finishedTrainingJob(sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Failed');
    assert.equal(job.FailureReason, 'AlgorithmError: algo-1 ran out of patience at epoch 2 (on purpose)');
    // The toolkit still reports the exit, in the log.
    const lines = (await hostLogs(logs, name)).get('algo-1')!;
    assert.ok(lines.includes('ExitCode 3'), lines.join('\n'));
    assert.ok(lines.includes('epoch=1 loss=1.0000'), lines.join('\n'));
  });

  it("installs the code's requirements.txt with the image's pip (offline: the wheel ships in the source folder)", async () => {
    const name = 'pytorch-style-requirements';
    const source = makeTempDir('source');
    try {
      cpSync(SCRIPT_DIR, source.path, { recursive: true });
      mkdirSync(path.join(source.path, 'wheels'));
      await buildWheel(path.join(source.path, 'wheels'));
      // pip reads options in a requirements file: no index (no internet here), the wheel beside it.
      writeFileSync(path.join(source.path, 'requirements.txt'), '--no-index\n--find-links wheels\ntinypkg==1.0\n');
      await uploadSourceDir(s3, name, source.path);
      await uploadSourceDir(s3, `${name}-no-pip`, source.path);
    } finally {
      source.remove();
    }
    await sageMaker.send(new CreateTrainingJobCommand(pytorchJob(name, { backend: 'gloo', epochs: 1 })));
    const noPip = pytorchJob(`${name}-no-pip`, { backend: 'gloo', epochs: 1 });
    await sageMaker.send(new CreateTrainingJobCommand({ ...noPip, AlgorithmSpecification: { ...noPip.AlgorithmSpecification!, TrainingImage: NO_PIP_IMAGE } }));

    const job = await finishedTrainingJob(sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const lines = (await hostLogs(logs, name)).get('algo-1')!;
    const installing = lines.findIndex((line) => TOOLKIT_LINE.test(line) && line.endsWith('Installing dependencies from requirements.txt'));
    assert.ok(installing >= 0, lines.join('\n'));
    assert.ok(lines.slice(installing).includes('Successfully installed tinypkg-1.0'), lines.join('\n'));
    assert.ok(lines.includes('hello from tinypkg'), lines.join('\n'));

    const withoutPip = await finishedTrainingJob(sageMaker, `${name}-no-pip`);
    assert.equal(withoutPip.TrainingJobStatus, 'Completed', withoutPip.FailureReason);
    const noPipLines = (await hostLogs(logs, `${name}-no-pip`)).get('algo-1')!;
    assert.ok(
      noPipLines.some((line) => / sagemaker-emulator WARNING {2}requirements\.txt was not installed: .*python3-without-pip has no pip \(.*No module named pip\)$/.test(line)),
      noPipLines.join('\n'),
    );
    assert.ok(!noPipLines.includes('hello from tinypkg'));
  });

  it("runs two 2-host jobs at once, each host in its own /opt/ml, meeting at algo-1 on addresses and ports of their own (PyTorch's TCPStore listens on every address)", async () => {
    const meetDir = makeTempDir('meet');
    try {
      const names = ['concurrent-a', 'concurrent-b'];
      for (const name of names) {
        await uploadSourceDir(s3, name, SCRIPT_DIR);
        await sageMaker.send(
          new CreateTrainingJobCommand(
            pytorchJob(name, { backend: 'gloo', epochs: 2, 'meet-dir': meetDir.path }, { ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 } }),
          ),
        );
      }
      const jobs = await Promise.all(names.map((name) => finishedTrainingJob(sageMaker, name)));
      jobs.forEach((job) => assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason));
      const masters: string[] = [];
      const ports: string[] = [];
      for (const name of names) {
        const byHost = await hostLogs(logs, name);
        for (const [host, lines] of byHost) {
          // All four hosts were running together.
          assert.ok(lines.some((line) => line.startsWith('met in ') && line.includes('concurrent-a-algo-2') && line.includes('concurrent-b-algo-1')), lines.join('\n'));
          assert.ok(lines.includes(`${host} done`), lines.join('\n'));
        }
        masters.push(loggedAddress(byHost.get('algo-1')!, 'algo-1'));
        // Both hosts meet on one port; the first job to start has 7777, the other the port the emulator names.
        const port = rendezvousPort(byHost.get('algo-1')!);
        assert.equal(rendezvousPort(byHost.get('algo-2')!), port);
        assert.ok(expectedMasterPorts(emulatorLog, name).includes(port), `${name} met at ${port}; the emulator said: ${emulatorLog.filter((line) => line.includes('MASTER_PORT')).join('\n')}`);
        ports.push(port);
        const model = JSON.parse((await archiveFiles(s3, BUCKET, `${name}/output/model.tar.gz`)).get('model.json')!) as { hps: Record<string, unknown> };
        assert.equal(model.hps['meet-dir'], meetDir.path);
        const files = JSON.parse((await archiveFiles(s3, BUCKET, `${name}/output/output.tar.gz`)).get('files.json')!) as string[];
        // Only its own job's code, configuration and checkpoints: nothing of the other job's.
        const config = files.filter((file) => file.startsWith('input/config/'));
        assert.deepEqual(config.sort(), ['input/config/hyperparameters.json', 'input/config/inputdataconfig.json', 'input/config/resourceconfig.json']);
        assert.deepEqual(files.filter((file) => file.startsWith('checkpoints/')).sort(), ['checkpoints/epoch-1.json', 'checkpoints/epoch-2.json']);
      }
      assert.notEqual(masters[0], masters[1], 'two jobs, two loopback blocks');
      assert.notEqual(ports[0], ports[1], 'two jobs running at once, two rendezvous ports');
    } finally {
      meetDir.remove();
    }
  });

  it('has said once in its log, when its first host started, that hosts run in their own namespace', () => {
    assert.deepEqual(
      emulatorLog.filter((line) => line.startsWith('hosts run ')),
      ["hosts run in their own mount namespace (/usr/bin/bwrap): /opt/ml is the host's folder, algo-N are in /etc/hosts"],
    );
  });

  it('trains the built-in GPT with hyperparameters JSON-encoded as an estimator sends them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gpt/train.txt', Body: 'the cat sat on the mat. '.repeat(40) }));
    await sageMaker.send(
      new CreateTrainingJobCommand({
        ...pytorchJob('gpt-json-encoded', {}),
        AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File' },
        HyperParameters: {
          vocab_size: '270', layers: '1', heads: '2', width: '16', context: '16', steps: '2', batch_size: '2', micro_batch_size: '1',
          threads: '1', checkpoint_dir: '"/opt/ml/checkpoints"', sagemaker_container_log_level: '20',
          sagemaker_job_name: '"gpt-json-encoded"', sagemaker_region: '"us-east-1"',
        },
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/gpt/` } } }],
        CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/gpt-json-encoded/` },
      }),
    );
    const job = await finishedTrainingJob(sageMaker, 'gpt-json-encoded');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const files = await archiveFiles(s3, BUCKET, 'gpt-json-encoded/output/model.tar.gz');
    assert.ok(files.has('model.safetensors'), [...files.keys()].join(', '));
    // checkpoint_dir decoded to the literal /opt/ml/checkpoints, which is synced to CheckpointConfig.S3Uri.
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'checkpoints/gpt-json-encoded/' }));
    assert.ok(Contents.length > 0);
  });
});

describe('the training toolkit contract without namespaces (the forced fallback)', () => {
  it('says so once, gives hosts their folders through SM_* and 127.0.0.1 ports, runs them, and rewrites a processing job\'s /opt/ml paths', async () => {
    const dataDir = makeTempDir('toolkit-fallback');
    const emulatorLog: string[] = [];
    const emulator = await startEmulator({
      dataDir: dataDir.path,
      runtime: { timing: FAST_TIMING, hostSandbox: false },
      log: (line) => emulatorLog.push(line),
    });
    const s3 = s3Client(emulator.url);
    const sageMaker = sagemakerClient(emulator.url);
    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await sageMaker.send(
        new CreateTrainingJobCommand({
          ...pytorchJob('fallback', {}),
          AlgorithmSpecification: {
            TrainingImage: 'sagemaker-emulator/node:20',
            TrainingInputMode: 'File',
            ContainerEntrypoint: [process.execPath, path.join(FIXTURES, 'contract-probe.js')],
          },
          HyperParameters: {},
          ResourceConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 },
        }),
      );
      const job = await finishedTrainingJob(sageMaker, 'fallback');
      assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
      assert.deepEqual(
        emulatorLog.filter((line) => line.startsWith('hosts run ')),
        ['hosts run without a mount namespace (turned off (--no-host-sandbox)): scripts find their folders through SM_* variables and SM_EMULATOR_OPT_ML, not at /opt/ml, and algo-N do not resolve; see emulator/README.md, "The host sandbox"'],
      );
      const byHost = await hostLogs(logs, 'fallback');
      for (const [host, lines] of byHost) {
        const seen = JSON.parse(lines.find((line) => line.startsWith('{'))!) as Record<string, string | boolean>;
        assert.match(seen.optMl as string, new RegExp(`^${path.join(dataDir.path, 'jobs')}/fallback-[0-9a-z]+/${host}/opt/ml$`));
        assert.equal(seen.modelDir, `${seen.optMl}/model`);
        assert.equal(seen.checkpointDir, `${seen.optMl}/checkpoints`);
        assert.equal(seen.masterAddr, '127.0.0.1');
        assert.notEqual(seen.masterPort, '7777');
        assert.equal(seen.literalOptMl, false, 'there is no /opt/ml on this machine for the host');
      }

      // A processing job naming /opt/ml paths, as ScriptProcessor makes it, still runs: they are rewritten.
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'processing/code/process.py', Body: readFileSync(path.join(FIXTURES, 'process.py')) }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'processing/data/rows.csv', Body: 'a,1\nb,2\nc,3\n' }));
      const input = (name: string, key: string, localPath: string) => ({
        InputName: name,
        S3Input: { S3Uri: `s3://${BUCKET}/${key}`, LocalPath: localPath, S3DataType: 'S3Prefix' as const, S3InputMode: 'File' as const },
      });
      await sageMaker.send(
        new CreateProcessingJobCommand({
          ProcessingJobName: 'fallback-processing',
          RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
          AppSpecification: {
            ImageUri: 'sagemaker-emulator/python:3',
            ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/process.py'],
            ContainerArguments: ['--input', '/opt/ml/processing/input/data', '--train', '/opt/ml/processing/train', '--test', '/opt/ml/processing/test'],
          },
          ProcessingInputs: [input('code', 'processing/code/', '/opt/ml/processing/input/code'), input('data', 'processing/data/', '/opt/ml/processing/input/data')],
          ProcessingOutputConfig: {
            Outputs: ['train', 'test'].map((name) => ({ OutputName: name, S3Output: { S3Uri: `s3://${BUCKET}/processing/${name}`, LocalPath: `/opt/ml/processing/${name}`, S3UploadMode: 'EndOfJob' as const } })),
          },
          ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.t3.medium', VolumeSizeInGB: 1 } },
        }),
      );
      const processing = await finishedProcessingJob(sageMaker, 'fallback-processing');
      assert.equal(processing.ProcessingJobStatus, 'Completed', processing.FailureReason);
      assert.ok((await objectText(s3, 'processing/train/part.csv')).startsWith('a,1'));
    } finally {
      for (const client of [s3, sageMaker, logs]) client.destroy();
      await emulator.close();
      dataDir.remove();
    }
  });
});

/** A minimal pure-Python wheel (tinypkg 1.0), built by hand as the wheel format describes it. */
async function buildWheel(dir: string): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  execFileSync('/usr/bin/python3', [
    '-c',
    `
import base64, hashlib, sys, zipfile
files = {'tinypkg/__init__.py': b'GREETING = "hello from tinypkg"\\n',
         'tinypkg-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 1.0\\n',
         'tinypkg-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: hand\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(sys.argv[1] + '/tinypkg-1.0-py3-none-any.whl', 'w') as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{name},sha256={digest},{len(data)}')
    record.append('tinypkg-1.0.dist-info/RECORD,,')
    wheel.writestr('tinypkg-1.0.dist-info/RECORD', '\\n'.join(record) + '\\n')
`,
    dir,
  ]);
}
