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
import { activateWorkbench, closedPort, createTrainingJob, emulatorUrl, labelOf, sageMaker, uniqueName, withSetting } from './fixtures';

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
    });
  });

  it('says a job that does not exist was not found, naming it and the region', async () => {
    const workbench = await activateWorkbench();
    const job = uniqueName('no-such-job');
    const document = await workbench.trainingJobLogs.show(job);
    const lines = document.getText().trimEnd().split('\n');
    assert.match(lines.at(-1)!, new RegExp(`^— the log could not be read: Training job ${job} was not found in us-east-1\\. .*\\(run Show Logs again to retry\\) —$`));
  });
});
