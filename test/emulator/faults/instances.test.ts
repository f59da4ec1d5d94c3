// Instances lost under a running job or endpoint (the instance-failure fault), through the real SDK:
// a 2-host training job fails with SageMaker's reason, both hosts ended, each host's log kept (a spot
// interruption sent to it first is refused, as it is not a spot job, and it runs on); a
// managed spot job is repaired and restarts from its checkpoint; an endpoint replaces a killed
// instance, and with 2 instances its callers see no failure while it does.
import { DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTrainingJobCommand, type CreateTrainingJobCommandInput, DescribeEndpointCommand, DescribeTrainingJobCommand, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INSTANCE_FAILURE_REASON } from '../../../emulator/faults/faultErrors';
import type { FaultView } from '../../../emulator/faults/faults';
import { type RunningEmulator, startEmulator } from '../../../emulator/server';
import { deployTestEndpoint } from '../../../harness/endpoints';
import { addFault, injectFault, listFaults } from '../helpers';
import { clientConfig, makeTempDir, sagemakerClient } from '../../../harness/emulatorClients';
import { running } from '../processes';
import { until } from '../../../harness/waiting';
import { FIXTURES, finishedTrainingJob, jobLogLines, type JobEmulator, startJobEmulator } from '../runtimeTestHelpers';

const BUCKET = 'instance-faults';
const TRAINING_LOGS = '/aws/sagemaker/TrainingJobs';

function counterJob(name: string, overrides: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/node:20', TrainingInputMode: 'File', ContainerArguments: [path.join(FIXTURES, 'counter.js')] },
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 120 },
    ...overrides,
  };
}

/** The lines of each host's log stream of a job, by host (`algo-1`, …). */
async function linesByHost(jobs: JobEmulator, job: string): Promise<Map<string, string[]>> {
  const { logStreams = [] } = await jobs.logs
    .send(new DescribeLogStreamsCommand({ logGroupName: TRAINING_LOGS, logStreamNamePrefix: `${job}/` }))
    .catch((error: Error) => {
      if (error.name === 'ResourceNotFoundException') return { logStreams: [] }; // no job has logged yet
      throw error;
    });
  const byHost = new Map<string, string[]>();
  for (const stream of logStreams) {
    const { events = [] } = await jobs.logs.send(new GetLogEventsCommand({ logGroupName: TRAINING_LOGS, logStreamName: stream.logStreamName, startFromHead: true }));
    const host = /\/(algo-\d+)-\d+$/.exec(stream.logStreamName ?? '')![1];
    byHost.set(host, [...(byHost.get(host) ?? []), ...events.map((event) => event.message ?? '')]);
  }
  return byHost;
}

describe('instance-failure of a training host', () => {
  let jobs: JobEmulator;
  before(async () => {
    jobs = await startJobEmulator('training-instance-failure', BUCKET, { maxConcurrentJobs: 2 });
  });
  after(() => jobs.close());

  it('fails a 2-host job with SageMaker\'s reason: the lost host killed, the other stopped, each host\'s log kept', async () => {
    const name = 'two-hosts-one-lost';
    await jobs.sageMaker.send(
      new CreateTrainingJobCommand(counterJob(name, { HyperParameters: { steps: '100000', step_ms: '100' }, ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 } })),
    );
    await until('both hosts to log a step', async () => {
      const byHost = await linesByHost(jobs, name);
      return ['algo-1', 'algo-2'].every((host) => byHost.get(host)?.some((line) => line.startsWith('step='))) ? true : undefined;
    });
    const hostsDir = path.join(jobs.dataDir, 'jobs', 'hosts');
    const pids = readdirSync(hostsDir).flatMap((file) => JSON.parse(readFileSync(path.join(hostsDir, file), 'utf8')) as number[]);
    assert.equal(pids.length, 2, 'both hosts run');

    const noHost = await addFault(jobs.emulator.url, { type: 'instance-failure', trainingJobName: name, host: 'algo-3' });
    assert.equal(noHost.status, 409);
    assert.match(noHost.body.message!, /has no host algo-3/);

    // A spot interruption does not apply to a job that is not a managed spot job: refused, and the job runs on.
    const notSpot = await addFault(jobs.emulator.url, { type: 'spot-interruption', trainingJobName: name });
    assert.equal(notSpot.status, 409);
    assert.equal(notSpot.body.message, `Training job ${name} is not running, or is not a managed spot training job.`);
    for (const pid of pids) assert.ok(running(pid), `host process ${pid} still runs after the refused spot interruption`);
    assert.equal((await jobs.sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))).TrainingJobStatus, 'InProgress');

    const fault = await injectFault(jobs.emulator.url, { type: 'instance-failure', trainingJobName: name, host: 'algo-2' });
    assert.deepEqual(fault.done, { trainingJobArn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`, killed: 'algo-2', outcome: 'the job fails' });

    const job = await finishedTrainingJob(jobs.sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Failed');
    assert.equal(job.FailureReason, INSTANCE_FAILURE_REASON);
    for (const pid of pids) assert.ok(!running(pid), `host process ${pid} ended`);
    const byHost = await linesByHost(jobs, name);
    // algo-1 was stopped (SIGTERM: the script says where it stopped); algo-2 died at once.
    assert.ok(byHost.get('algo-1')?.some((line) => line.startsWith('step=')), 'algo-1 logged its steps');
    assert.ok(byHost.get('algo-1')?.some((line) => line.startsWith('stopped at step ')), byHost.get('algo-1')?.join('\n'));
    assert.ok(byHost.get('algo-2')?.some((line) => line.startsWith('step=')), 'algo-2 logged its steps');
    assert.ok(!byHost.get('algo-2')?.some((line) => line.startsWith('stopped at step ')), 'algo-2 was killed, not stopped');

    const ended = await addFault(jobs.emulator.url, { type: 'instance-failure', trainingJobName: name });
    assert.equal(ended.status, 409);
    assert.equal(ended.body.message, `Training job ${name} is not running: an instance fails only while its job runs.`);
  });

  it('repairs a managed spot job and restarts it from its checkpoint', async () => {
    const name = 'spot-instance-lost';
    await jobs.sageMaker.send(
      new CreateTrainingJobCommand(
        counterJob(name, {
          HyperParameters: { steps: '25', step_ms: '100' },
          CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/${name}/` },
          EnableManagedSpotTraining: true,
          StoppingCondition: { MaxRuntimeInSeconds: 120, MaxWaitTimeInSeconds: 240 },
        }),
      ),
    );
    await until('a step past the first checkpoint', async () => ((await jobLogLines(jobs.logs, TRAINING_LOGS, name)).some((line) => line.startsWith('step=3 ')) ? true : undefined));
    const fault = await injectFault(jobs.emulator.url, { type: 'instance-failure', trainingJobName: name });
    assert.equal((fault.done as { outcome: string }).outcome, 'the job restarts from its checkpoints');

    const job = await finishedTrainingJob(jobs.sageMaker, name);
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const transitions = job.SecondaryStatusTransitions ?? [];
    const interrupted = transitions.findIndex((transition) => transition.Status === 'Interrupted');
    assert.ok(interrupted >= 0, transitions.map((transition) => transition.Status).join(' → '));
    assert.equal(transitions[interrupted].StatusMessage, 'Repairing training cluster due to hardware failure');
    assert.equal(transitions[interrupted + 1]?.Status, 'Restarting');
    const lines = await jobLogLines(jobs.logs, TRAINING_LOGS, name);
    const resumedAt = lines.map((line) => /^resumed from step (\d+)$/.exec(line)?.[1]).find(Boolean);
    assert.ok(resumedAt && Number(resumedAt) >= 1, lines.join('\n'));
  });
});

describe('instance-failure of an endpoint instance', () => {
  const scratch = makeTempDir('endpoint-instance-failure');
  let emulator: RunningEmulator;
  let runtime: SageMakerRuntimeClient;

  before(async () => {
    emulator = await startEmulator({
      dataDir: path.join(scratch.path, 'data'),
      runtime: { maxConcurrentJobs: 0, endpointTiming: { stopGraceMs: 2000, logFlushMs: 100, replaceDelayMs: 300, healthCheckTimeoutMs: 20_000 } },
    });
    // No retries: every failure the emulator answers is seen.
    runtime = new SageMakerRuntimeClient(clientConfig(emulator.url, { maxAttempts: 1 }));
    await deployTestEndpoint(emulator.url, 'one-instance', 'streaming-echo');
    await deployTestEndpoint(emulator.url, 'two-instances', 'streaming-echo', { instanceCount: 2 });
    const sagemaker = sagemakerClient(emulator.url);
    for (const name of ['one-instance', 'two-instances']) {
      await waitUntilEndpointInService({ client: sagemaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { EndpointName: name });
    }
  });
  after(async () => {
    runtime.destroy();
    await emulator.close();
    scratch.remove();
  });

  /** The pid of the container that answered. */
  const servedBy = async (endpoint: string) => {
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, Body: JSON.stringify({ hello: endpoint }), ContentType: 'application/json' }));
    return (JSON.parse(Buffer.from(answer.Body).toString('utf8')) as { pid: number }).pid;
  };
  const faultNamed = async (id: string) => (await listFaults(emulator.url)).find((fault) => fault.id === id)!;
  const replacement = (fault: FaultView) => fault.done as { killed: string; replacedBy?: string; replacementMs?: number };

  it('replaces the one instance of an endpoint; meanwhile callers are told to try again (ServiceUnavailable)', async () => {
    const before = await servedBy('one-instance');
    const fault = await injectFault(emulator.url, { type: 'instance-failure', endpointName: 'one-instance' });
    assert.match(replacement(fault).killed, /^AllTraffic\/i-[0-9a-f]{17}$/);
    await until('the killed container to end', async () => (running(before) ? undefined : true));
    const failures: string[] = [];
    const after = await until('a new instance to answer', async () => {
      try {
        return await servedBy('one-instance');
      } catch (error) {
        failures.push(`${(error as Error).name} ${(error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode}`);
        return undefined;
      }
    });
    assert.notEqual(after, before);
    for (const failure of failures) assert.equal(failure, 'ServiceUnavailable 503');
    const replaced = replacement(await until('the fault to report the replacement', async () => {
      const listed = await faultNamed(fault.id);
      return replacement(listed).replacedBy ? listed : undefined;
    }));
    assert.match(replaced.replacedBy!, /^AllTraffic\/i-[0-9a-f]{17}$/);
    assert.notEqual(replaced.replacedBy, replaced.killed);
    assert.ok(replaced.replacementMs! > 0);
    const described = await sagemakerClient(emulator.url).send(new DescribeEndpointCommand({ EndpointName: 'one-instance' }));
    assert.equal(described.EndpointStatus, 'InService');
  });

  it('routes around a killed instance of two: no caller sees a failure, and two instances serve again', async () => {
    const pidsBefore = new Set<number>();
    await until('both instances to answer', async () => (pidsBefore.add(await servedBy('two-instances')).size === 2 ? true : undefined));
    let stop = false;
    let invocations = 0;
    const failures: string[] = [];
    const pidsAfter = new Set<number>();
    const callers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        try {
          const pid = await servedBy('two-instances');
          invocations++;
          if (!pidsBefore.has(pid)) pidsAfter.add(pid);
        } catch (error) {
          failures.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    });
    try {
      await until('some invocations before the kill', async () => (invocations >= 20 ? true : undefined));
      const fault = await injectFault(emulator.url, { type: 'instance-failure', endpointName: 'two-instances', variantName: 'AllTraffic', instance: 2 });
      await until('the replacement to serve', async () => (replacement(await faultNamed(fault.id)).replacedBy ? true : undefined));
      await until('the new instance to answer', async () => (pidsAfter.size > 0 ? true : undefined));
      const after = invocations;
      await until('invocations after the replacement', async () => (invocations >= after + 20 ? true : undefined));
    } finally {
      stop = true;
      await Promise.all(callers);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${invocations + failures.length} invocations failed`);
    assert.equal(pidsAfter.size, 1, 'one new instance');
  });
});
