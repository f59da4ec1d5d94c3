// The extension under the emulator's injected faults (/_emulator/faults), in the real extension host:
// throttling and S3 errors that the SDK's standard retries absorb leave commands and views working
// as if nothing happened; what outlasts the retries is shown once, in the one failure language —
// one notification for a command, an error node (no notification) for a view.
import { CreateTrainingJobCommand, DeleteEndpointCommand, DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FaultView } from '../../../emulator/faults/faults';
import type { Workbench } from '../../../src/workbench';
import { putTestModel } from '../../../harness/endpoints';
import { until } from '../../../harness/waiting';
import { activateWorkbench, createDataset, emulatorUrl, labelOf, notified, objectItem, sageMaker, trainingJobInput, uniqueName } from '../../../harness/extensionHostFixtures';

async function inject(definition: object): Promise<FaultView> {
  const response = await fetch(`${emulatorUrl()}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) });
  const body = (await response.json()) as FaultView & { message?: string };
  if (!response.ok) throw new Error(`fault refused (${response.status}): ${body.message}`);
  return body;
}

async function faults(): Promise<FaultView[]> {
  return ((await (await fetch(`${emulatorUrl()}/_emulator/faults`)).json()) as { faults: FaultView[] }).faults;
}

/** How many requests each fault failed, by id. */
async function injected(): Promise<Record<string, number>> {
  return Object.fromEntries((await faults()).map((fault) => [fault.id, (fault.done as { injected: number }).injected]));
}

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const THROTTLED = 'Requests are being throttled in us-east-1. ThrottlingException: Rate exceeded (still refused after 3 attempts). Wait a little, then retry.';

describe('The extension under injected faults', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await activateWorkbench();
  });
  // The emulator is shared with the other suites: no fault may outlive its test.
  afterEach(async () => {
    await fetch(`${emulatorUrl()}/_emulator/faults`, { method: 'DELETE' });
  });

  it('deploys an endpoint to InService while SageMaker throttles every create twice and S3 slows down its model reads', async function () {
    this.timeout(90_000);
    const name = uniqueName('deploy-throttled');
    const modelDataUrl = await putTestModel(emulatorUrl(), name, 'random-gpt');
    const archive = await objectItem(workbench, modelDataUrl); // deployed from the Datasets view
    const bucket = new URL(modelDataUrl).host;
    const ids = [
      ...(await Promise.all(
        ['CreateModel', 'CreateEndpointConfig', 'CreateEndpoint'].map((operation) => inject({ type: 'throttling', service: 'sagemaker', operations: [operation], count: 2 })),
      )),
      // The emulator's own reads of the model (as SageMaker's): its clients retry as the SDK does.
      await inject({ type: 's3-error', bucket, code: 'SlowDown', count: 2 }),
    ].map((fault) => fault.id);
    const plan = { endpointName: name, instanceType: 'ml.m5.large', image: 'sagemaker-emulator/builtin-gpt:latest', executionRoleArn: ROLE };
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.deployModel', archive, plan));
    assert.deepEqual(texts, [], 'no failure shown');
    const counts = await injected();
    for (const id of ids.slice(0, 3)) assert.equal(counts[id], 2, `fault ${id} throttled twice`);
    const client = sageMaker();
    for (let deadline = Date.now() + 60_000; ; ) {
      const { EndpointStatus, FailureReason } = await client.send(new DescribeEndpointCommand({ EndpointName: name }));
      if (EndpointStatus === 'InService') break;
      assert.notEqual(EndpointStatus, 'Failed', FailureReason);
      assert.ok(Date.now() < deadline, `endpoint ${name} still ${EndpointStatus} after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal((await injected())[ids[3]], 2, 'S3 slowed the model reads down twice');
    await client.send(new DeleteEndpointCommand({ EndpointName: name })); // its instance's process is not needed by later suites
  });

  it('shows one classified notification when throttling outlasts the retries of a deploy, leaving nothing behind', async () => {
    const name = uniqueName('deploy-refused');
    const archive = await objectItem(workbench, await putTestModel(emulatorUrl(), name, 'random-gpt'));
    await inject({ type: 'throttling', service: 'sagemaker', operations: ['CreateEndpoint'], rate: 1 });
    const plan = { endpointName: name, instanceType: 'ml.m5.large', image: 'sagemaker-emulator/builtin-gpt:latest', executionRoleArn: ROLE };
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.deployModel', archive, plan));
    assert.deepEqual(texts, [THROTTLED]);
    const client = sageMaker();
    for (const describe of [client.send(new DescribeModelCommand({ ModelName: name })), client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }))]) {
      await assert.rejects(describe, /Could not find/, 'the model and configuration made before the refusal were deleted');
    }
  });

  it('starts a resumed training job through throttling, and reports it once when the throttling persists', async () => {
    const source = uniqueName('resume-source');
    const client = sageMaker();
    await client.send(new CreateTrainingJobCommand({ ...trainingJobInput(source), CheckpointConfig: { S3Uri: `s3://demo-output/checkpoints/${source}/` } }));
    await client.send(new StopTrainingJobCommand({ TrainingJobName: source }));
    const fault = await inject({ type: 'throttling', service: 'sagemaker', operations: ['CreateTrainingJob'], count: 2 });
    const started = uniqueName('resumed');
    assert.deepEqual(await notified(workbench, () => vscode.commands.executeCommand('sagemaker.trainingJob.resume', { job: { name: source } }, started)), []);
    assert.equal((await injected())[fault.id], 2);
    await inject({ type: 'throttling', service: 'sagemaker', operations: ['CreateTrainingJob'], rate: 1 });
    const refused = uniqueName('refused');
    assert.deepEqual(await notified(workbench, () => vscode.commands.executeCommand('sagemaker.trainingJob.resume', { job: { name: source } }, refused)), [THROTTLED]);
  });

  it('lists a bucket through S3 SlowDowns, and shows one error node, never a notification, while S3 keeps failing', async () => {
    const bucket = uniqueName('slow-bucket');
    await createDataset(bucket, { 'train.jsonl': '{"text":"hello"}\n', 'validation.jsonl': '{"text":"held out"}\n' });
    workbench.datasets.refresh();
    const bucketItem = (await workbench.datasets.getChildren()).find((item) => labelOf(item) === bucket)!;
    const slow = await inject({ type: 's3-error', bucket, code: 'SlowDown', operations: ['ListObjectsV2'], count: 2 });
    const texts = await notified(workbench, async () => {
      assert.deepEqual((await workbench.datasets.getChildren(bucketItem)).map(labelOf), ['train.jsonl', 'validation.jsonl']);
      assert.equal((await injected())[slow.id], 2);
      await inject({ type: 's3-error', bucket, code: 'InternalError', operations: ['ListObjectsV2'], rate: 1 });
      // A bucket item keeps the listing it read: a refresh makes new items, which read again.
      workbench.datasets.refresh();
      const freshItem = (await workbench.datasets.getChildren()).find((item) => labelOf(item) === bucket)!;
      const [node, ...rest] = await workbench.datasets.getChildren(freshItem);
      assert.deepEqual(rest, []);
      // The extension's ErrorTreeItem (its bundle's class, not this file's import): it carries the failure.
      const failure = (node as vscode.TreeItem & { failure?: { kind: string; message: string } }).failure;
      assert.equal(failure?.kind, 'serviceError', `${labelOf(node)} is an error node`);
      assert.equal(failure?.message, 'InternalError: We encountered an internal error. Please try again. (after 3 attempts)');
      // The node's hover tells the whole story, with the next step it offers.
      assert.equal(node.tooltip, `Could not load datasets: the service failed.\n${failure?.message}\nNext step (click): Retry.`);
    });
    assert.deepEqual(texts, [], 'a view does not notify');
  });

  it('closes the S3 folder pick when S3 cannot list, and says why once, in the failure language', async function () {
    this.timeout(60_000);
    await inject({ type: 'throttling', service: 's3', operations: ['ListBuckets'], rate: 1 });
    // No folder given: the command asks with the S3 folder pick, whose first listing fails.
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.datasets.download'));
    assert.equal(texts.length, 1, texts.join('\n'));
    assert.match(texts[0], /^Requests are being throttled in us-east-1\. SlowDown: Please reduce your request rate\. \(still refused after 3 attempts\)\. Wait a little, then retry\.$/);
  });

  it('shows a failed refresh of a view on screen as its error node without reading again', async () => {
    const view = workbench.trainingJobs;
    await vscode.commands.executeCommand('sagemaker.trainingJobs.focus');
    await until('the Training Jobs view on screen', () => (workbench.trainingJobsView.visible ? true : undefined));
    // VS Code's own asks, seen by wrapping the provider's method it calls.
    const answers: vscode.TreeItem[][] = [];
    const getChildren = view.getChildren;
    view.getChildren = async function (this: typeof view, element?: vscode.TreeItem) {
      const children = await getChildren.call(this, element);
      if (!element) answers.push(children);
      return children;
    };
    try {
      // Exactly one read's attempts fail (the SDK tries 3 times): a second read would succeed.
      await inject({ type: 'throttling', service: 'sagemaker', operations: ['ListTrainingJobs'], count: 3 });
      const asked = answers.length;
      const texts = await notified(workbench, async () => {
        view.refresh();
        const [node] = await until('VS Code to ask for the refreshed jobs', () => answers[asked], { timeoutMs: 30_000, intervalMs: 20 });
        assert.equal((node as vscode.TreeItem & { failure?: { kind: string } }).failure?.kind, 'throttled', `${labelOf(node)} is the refresh's failure`);
      });
      assert.deepEqual(texts, [], 'a view does not notify');
    } finally {
      view.getChildren = getChildren;
    }
  });
});
