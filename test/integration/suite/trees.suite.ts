// Integration suite (in the real extension host) of Datasets view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { activateWorkbench, createDataset, createTrainingJob, labelOf, sageMaker, trainingJobInput, uniqueName } from '../../../harness/extensionHostFixtures';
import { until } from '../../../harness/waiting';

describe('Datasets view', () => {
  it('lists buckets, then prefixes and objects of a bucket, as the S3 console does', async () => {
    const workbench = await activateWorkbench();
    const bucket = uniqueName('datasets');
    await createDataset(bucket, {
      'train/part-0000.jsonl': '{"text":"hello"}\n',
      'train/part-0001.jsonl': '{"text":"world"}\n',
      'validation.jsonl': '{"text":"held out"}\n',
    });
    workbench.datasets.refresh();

    const buckets = await workbench.datasets.getChildren();
    const bucketItem = buckets.find((item) => labelOf(item) === bucket);
    assert.ok(bucketItem, `bucket ${bucket} in ${buckets.map(labelOf).join(', ')}`);
    assert.equal(bucketItem.contextValue, 'bucket');

    const top = await workbench.datasets.getChildren(bucketItem);
    assert.deepEqual(top.map(labelOf), ['train/', 'validation.jsonl']);
    assert.equal(top[0].contextValue, 'prefix');
    assert.equal(top[1].contextValue, 'object');
    assert.equal(top[1].description, '20 B');

    const train = await workbench.datasets.getChildren(top[0]);
    assert.deepEqual(train.map(labelOf), ['part-0000.jsonl', 'part-0001.jsonl']);
  });
});

describe('Training Jobs view', () => {
  it('lists jobs newest first with their status', async () => {
    const workbench = await activateWorkbench();
    const older = uniqueName('job-a');
    const newer = uniqueName('job-b');
    await createTrainingJob(older);
    // Created in a later second than the older one, since the view's times are whole seconds.
    const { CreationTime } = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: older }));
    const nextSecond = (Math.floor(CreationTime!.getTime() / 1000) + 1) * 1000;
    await until(`the clock to pass the second ${older} was created in`, () => (Date.now() >= nextSecond ? true : undefined), { intervalMs: 10 });
    await createTrainingJob(newer);
    workbench.trainingJobs.refresh();

    const labels = (await workbench.trainingJobs.getChildren()).map(labelOf);
    assert.ok(labels.indexOf(newer) >= 0 && labels.indexOf(newer) < labels.indexOf(older), labels.join(', '));
    const item = (await workbench.trainingJobs.getChildren()).find((candidate) => labelOf(candidate) === newer)!;
    assert.equal(item.contextValue, 'trainingJob.inProgress');
    assert.match(String(item.description), /^InProgress · /);
    assert.equal(item.command?.command, 'sagemaker.trainingJob.open');
  });

  it('pages with "Load More" past the first 50 jobs', async () => {
    const workbench = await activateWorkbench();
    const prefix = uniqueName('paged');
    for (let index = 0; index < 55; index++) {
      await createTrainingJob(`${prefix}-${index}`);
    }
    workbench.trainingJobs.refresh();
    const firstPage = await workbench.trainingJobs.getChildren();
    assert.equal(firstPage.length, 51, 'a page of 50 jobs and a Load More node');
    const loadMore = firstPage[50];
    assert.equal(loadMore.contextValue, 'loadMore');
    await vscode.commands.executeCommand(loadMore.command!.command, ...(loadMore.command!.arguments ?? []));
    const all = await workbench.trainingJobs.getChildren();
    const paged = all.filter((item) => labelOf(item).startsWith(prefix));
    assert.equal(paged.length, 55, 'every job once after loading more');
    assert.equal(new Set(paged.map(labelOf)).size, 55);
  });

  it('resumes a stopped job as a new job with its configuration and checkpoint location', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('resumable');
    const input = {
      ...trainingJobInput(name),
      HyperParameters: { steps: '300', lr: '0.001' },
      CheckpointConfig: { S3Uri: `s3://demo-output/checkpoints/${name}/` },
    };
    await sageMaker().send(new CreateTrainingJobCommand(input));
    await sageMaker().send(new StopTrainingJobCommand({ TrainingJobName: name }));
    workbench.trainingJobs.refresh();
    const item = (await workbench.trainingJobs.getChildren()).find((candidate) => labelOf(candidate) === name)!;
    assert.equal(item.contextValue, 'trainingJob.stopped');

    const resumed = await vscode.commands.executeCommand<string>('sagemaker.trainingJob.resume', item, `${name}-again`);
    assert.equal(resumed, `${name}-again`);
    const description = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: resumed }));
    assert.equal(description.TrainingJobStatus, 'InProgress');
    assert.deepEqual(description.HyperParameters, input.HyperParameters);
    assert.equal(description.CheckpointConfig?.S3Uri, input.CheckpointConfig.S3Uri);
    assert.deepEqual(description.InputDataConfig ?? [], input.InputDataConfig ?? []);
    assert.ok((await workbench.trainingJobs.getChildren()).some((candidate) => labelOf(candidate) === resumed), 'listed in the view');
  });

  it('updates polled items in place, so that a context-menu command picked meanwhile keeps its item', async function () {
    this.timeout(30_000);
    const workbench = await activateWorkbench();
    const name = uniqueName('polled');
    await createTrainingJob(name);
    await vscode.commands.executeCommand('sagemaker.trainingJobs.focus');
    workbench.trainingJobs.refresh();
    const before = await workbench.trainingJobs.getChildren();
    const item = before.find((candidate) => labelOf(candidate) === name)!;
    assert.equal(item.contextValue, 'trainingJob.inProgress');
    await sageMaker().send(new StopTrainingJobCommand({ TrainingJobName: name }));
    // The view polls every 5 s while a job is in progress; no refresh from here on.
    await until(`the polled item of ${name} to show Stopped (the item itself, not a new one)`, () =>
      (item.contextValue as string) === 'trainingJob.stopped' ? true : undefined, { timeoutMs: 20_000, intervalMs: 250 });
    // Every job's item kept its identity ("Load More" is made anew on each read; it has no state).
    const jobs = (items: vscode.TreeItem[]) => items.filter((candidate) => candidate.contextValue !== 'loadMore');
    const after = jobs(await workbench.trainingJobs.getChildren());
    assert.equal(after.length, jobs(before).length);
    assert.ok(after.every((candidate, index) => candidate === jobs(before)[index]), 'every item kept its identity');
  });

  it('tells VS Code of a refresh only once the new items are read, so that a context-menu command picked meanwhile keeps its item', async () => {
    const workbench = await activateWorkbench();
    await createTrainingJob(uniqueName('told'));
    await vscode.commands.executeCommand('sagemaker.trainingJobs.focus'); // on screen, where commands are picked
    await until('the Training Jobs view on screen', () => (workbench.trainingJobsView.visible ? true : undefined));
    // VS Code forgets the shown items when told of a change and only then asks for the new ones: if
    // that answer needs a request, a command picked meanwhile resolves its item to nothing. Told after
    // the read, the answer comes within the same turn of the event loop, before any I/O could.
    let answeredInTurn: boolean | undefined;
    const listener = workbench.trainingJobs.onDidChangeTreeData((change) => {
      if (change !== undefined || answeredInTurn !== undefined) return; // a poll's in-place update
      let answered = false;
      void workbench.trainingJobs.getChildren().then(() => (answered = true));
      setImmediate(() => (answeredInTurn = answered));
    });
    try {
      workbench.trainingJobs.refresh();
      const told = await until('the view to be told of the refresh', () => answeredInTurn, { timeoutMs: 10_000, intervalMs: 20 });
      assert.equal(told, true, 'the view asked for the items after the change and had to wait for a read');
    } finally {
      listener.dispose();
    }
  });

  it('opens a job\'s full description as JSON from its context menu', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('details');
    await createTrainingJob(name);
    workbench.trainingJobs.refresh();
    const item = (await workbench.trainingJobs.getChildren()).find((candidate) => labelOf(candidate) === name)!;
    await vscode.commands.executeCommand('sagemaker.trainingJob.showJson', item);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.languageId, 'json');
    const description = JSON.parse(editor.document.getText());
    assert.equal(description.TrainingJobName, name);
    assert.equal(description.TrainingJobStatus, 'InProgress');
    assert.equal(description.ResourceConfig.InstanceCount, 1);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
