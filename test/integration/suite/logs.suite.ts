// Integration suite (in the real extension host) of Training job logs.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TrainingJobLogs } from '../../../src/documents/trainingJobLogs';
import { activateWorkbench, closedPort, createTrainingJob, emulatorUrl, labelOf, sageMaker, uniqueName, until, withSetting } from '../../../harness/extensionHostFixtures';

const GROUP = '/aws/sagemaker/TrainingJobs';

function logs(): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: emulatorUrl(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** Logs `messages` to a stream of the group, as a training host would, at the given times. */
async function log(stream: string, events: [number, string][]): Promise<void> {
  const client = logs();
  await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream })).catch((error: Error) => {
    if (error.name !== 'ResourceAlreadyExistsException') throw error;
  });
  await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));
}

/** The document's text once `accept` holds for it, waiting for its changes. */
async function documentText(document: vscode.TextDocument, accept: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!accept(document.getText())) {
    if (Date.now() > deadline) throw new Error(`the log document never matched; it reads:\n${document.getText()}`);
    await new Promise<void>((resolve) => {
      const subscription = vscode.workspace.onDidChangeTextDocument((change) => {
        if (change.document === document) {
          subscription.dispose();
          resolve();
        }
      });
      setTimeout(() => {
        subscription.dispose();
        resolve();
      }, 1000);
    });
  }
  return document.getText();
}

describe('Training job logs', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('follows a job\'s logs from all its hosts in time order, each line once, until the job ends', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const job = uniqueName('logged');
    await createTrainingJob(job);
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP })).catch((error: Error) => {
      if (error.name !== 'ResourceAlreadyExistsException') throw error;
    });
    const start = Date.now() - 60_000;
    await log(`${job}/algo-1-1764000000`, [[start, 'step 1 loss 4.0'], [start + 2000, 'step 2 loss 3.5']]);
    await log(`${job}/algo-2-1764000000`, [[start + 1000, 'algo-2 joined the ring']]);
    // Another job whose name starts with this one's: not part of its log.
    await log(`${job}x/algo-1-1764000000`, [[start + 500, 'another job']]);

    workbench.trainingJobs.refresh();
    const item = (await workbench.trainingJobs.getChildren()).find((candidate) => labelOf(candidate) === job)!;
    await vscode.commands.executeCommand('sagemaker.trainingJob.showLogs', item);
    const document = vscode.window.activeTextEditor!.document;
    assert.equal(document.uri.toString(), TrainingJobLogs.uriOf(job).toString());
    assert.equal(document.languageId, 'log');
    // It opens at its end: the cursor on its last line, which is in view.
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.selection.active.line, document.lineCount - 1);
    assert.ok(editor.visibleRanges.some((range) => range.contains(new vscode.Position(document.lineCount - 1, 0))));
    const lines = (await documentText(document, (text) => text.includes('step 2'))).trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.replace(/^\S+ /, '')),
      ['algo-1 | step 1 loss 4.0', 'algo-2 | algo-2 joined the ring', 'algo-1 | step 2 loss 3.5'],
    );

    // Followed while the job is in progress: a new line appears by itself, and nothing twice.
    await log(`${job}/algo-2-1764000000`, [[start + 2000, 'step 2 loss 3.4'], [start + 3000, 'step 3 loss 3.1']]);
    const followed = await documentText(document, (text) => text.includes('step 3'));
    assert.deepEqual(
      followed.trimEnd().split('\n').map((line) => line.replace(/^\S+ /, '')),
      ['algo-1 | step 1 loss 4.0', 'algo-2 | algo-2 joined the ring', 'algo-1 | step 2 loss 3.5', 'algo-2 | step 2 loss 3.4', 'algo-2 | step 3 loss 3.1'],
    );

    // The job ends: the log says so and is no longer read.
    await sageMaker().send(new StopTrainingJobCommand({ TrainingJobName: job }));
    const ended = await documentText(document, (text) => text.includes('its log ends here'));
    assert.match(ended.trimEnd().split('\n').at(-1)!, new RegExp(`training job ${job} is Stopped: its log ends here`));
  });

  it('opens a long log at its end and keeps the end in view as it grows', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const job = uniqueName('long-log');
    await createTrainingJob(job);
    await logs().send(new CreateLogGroupCommand({ logGroupName: GROUP })).catch(() => undefined);
    const start = Date.now() - 600_000;
    await log(`${job}/algo-1-1764000000`, Array.from({ length: 300 }, (_, index): [number, string] => [start + index, `step ${index}`]));
    const document = await workbench.trainingJobLogs.show(job);
    const editor = vscode.window.activeTextEditor!;
    const visible = (line: number) => editor.visibleRanges.some((range) => range.start.line <= line && line <= range.end.line);
    const where = () => `visible: ${editor.visibleRanges.map((range) => `${range.start.line}-${range.end.line}`).join(',')} of ${document.lineCount}`;
    // The editor reports what it shows once it has drawn it.
    await until('the last line in view, the first one not: the log opened at its end', () => (visible(document.lineCount - 2) && !visible(0)) || where(), 10_000);
    await log(`${job}/algo-1-1764000000`, Array.from({ length: 100 }, (_, index): [number, string] => [start + 300 + index, `later step ${index}`]));
    await documentText(document, (text) => text.includes('later step 99'));
    await until('the new end in view', () => visible(document.lineCount - 2) || where(), 10_000);
  });

  it('says when the log cannot be read, and how to retry', async () => {
    const workbench = await activateWorkbench();
    const job = uniqueName('unreadable');
    const port = await closedPort();
    await withSetting('sagemaker.emulator.url', `http://127.0.0.1:${port}`, async () => {
      const document = await workbench.trainingJobLogs.show(job);
      const lines = document.getText().trimEnd().split('\n');
      // The waiting line, then why nothing comes: the classified failure with its next step, and no raw socket code.
      assert.equal(lines.length, 2, document.getText());
      assert.match(lines[1], new RegExp(`^— Cannot reach the local emulator at 127\\.0\\.0\\.1:${port}\\. .* Next step: Start Local Emulator\\. The log goes on by itself once the connection is back\\. —$`));
      assert.doesNotMatch(document.getText(), /ECONNREFUSED/);
      // The next step is also a button on that line, as in the views.
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      assert.deepEqual(
        lenses.map((lens) => [lens.range.start.line, lens.command?.command]),
        [
          [1, 'sagemaker.startEmulator'],
          [1, 'sagemaker.switchConnection'],
        ],
      );
    });
  });

  it('says a job that does not exist was not found, naming it and the region', async () => {
    const workbench = await activateWorkbench();
    const job = uniqueName('no-such-job');
    const document = await workbench.trainingJobLogs.show(job);
    const lines = document.getText().trimEnd().split('\n');
    assert.match(lines.at(-1)!, new RegExp(`^— the log could not be read: Training job ${job} was not found in us-east-1\\. .*\\(run Show Logs again to retry\\) —$`));
    // Its next steps are buttons on that line: the view to pick another job from, and Retry.
    const footerLine = document.lineCount - 2;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command]),
      [
        [footerLine, 'Show Training Jobs', 'sagemaker.trainingJobs.focus'],
        [footerLine, 'Retry', 'sagemaker.trainingJob.showLogs'],
      ],
    );
    // Retry once the job exists: the log is read afresh and the footer and its buttons are gone.
    await createTrainingJob(job);
    const retry = lenses[1].command!;
    await vscode.commands.executeCommand(retry.command, ...(retry.arguments ?? []));
    await documentText(document, (text) => !text.includes('could not be read'));
    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.deepEqual(after, []);
  });
});
