// Connection health drives every view: a local emulator killed under open views and a job panel is
// noticed by all of them (the error node, the panel's banner, the status bar's state) and they come
// back by themselves once it is restarted — the same data folder and port, its state kept. And the
// window owns the emulator of its data folder, even one it did not start (as `npm start`'s).
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResourceTree } from '../../../src/trees/resourceTree';
import type { Workbench } from '../../../src/workbench';
import { startEmulatorProcess, type EmulatorProcess } from '../../../harness/emulatorProcess';
import { activateWorkbench, createDataset, createTrainingJob, labelOf, uniqueName, until, withSetting } from '../../../harness/extensionHostFixtures';

/** Death and recovery are each noticed within a poll interval (2 s) plus a probe; the bound leaves room for a loaded machine. */
const NOTICE_BOUND_MS = 20_000;

/** Runs `body` with the settings of a window pointed at `emulator` and its data folder. */
function inWindowOf<T>(url: string, dataDir: string, body: () => Promise<T>): Promise<T> {
  return withSetting('sagemaker.emulator.url', url, () => withSetting('sagemaker.emulator.dataDir', dataDir, body));
}

/** The labels of a view's top level, as VS Code would get them. */
async function labels(tree: ResourceTree): Promise<string[]> {
  return (await tree.getChildren()).map(labelOf);
}

describe('Connection health', () => {
  let own: EmulatorProcess | undefined;
  afterEach(async () => {
    await own?.stop();
    own = undefined;
  });

  it('shows a killed emulator in every view and a job panel, offers Restart, and comes back by itself with its state', async function () {
    this.timeout(120_000);
    const workbench = await activateWorkbench();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sagemaker-health-'));
    own = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
    const host = new URL(own.url).host;
    const bucket = uniqueName('health');
    const job = uniqueName('health-job');
    await inWindowOf(own.url, dataDir, async () => {
      await createDataset(bucket, { 'data.jsonl': '{"text":"hi"}\n' });
      await createTrainingJob(job);
      for (const view of ['sagemaker.datasets', 'sagemaker.trainingJobs', 'sagemaker.endpoints']) await vscode.commands.executeCommand(`${view}.focus`);
      workbench.trainingJobPanels.show(job);
      const views: [string, ResourceTree][] = [
        ['Datasets', workbench.datasets],
        ['Training Jobs', workbench.trainingJobs],
        ['Endpoints', workbench.endpoints],
      ];
      await until('the views list the emulator\'s bucket and job, the panel shows the job', async () => {
        const [buckets, jobs] = [await labels(workbench.datasets), await labels(workbench.trainingJobs)];
        if (!buckets.includes(bucket)) return `datasets: ${buckets.join(', ')}`;
        if (!jobs.includes(job)) return `jobs: ${jobs.join(', ')}`;
        return workbench.trainingJobPanels.shown(job)?.job?.name === job || 'the panel has not shown the job';
      }, NOTICE_BOUND_MS);

      await own!.kill();
      // No refresh from here on: the health probe and the views' own reads must notice.
      await until('every view shows the error node, the panel its banner', () => everyViewDown(workbench, views, host, job), NOTICE_BOUND_MS);
      assert.equal(workbench.connection.state, 'unreachable');
      // The emulator that died kept its state in this window's data folder: Restart brings it back.
      const [node] = await workbench.datasets.getChildren();
      assert.equal(node.command?.command, 'sagemaker.restartEmulator');
      assert.deepEqual(workbench.trainingJobPanels.shown(job)?.banner?.steps, ['restartEmulator', 'switchConnection']);

      await vscode.commands.executeCommand('sagemaker.restartEmulator');
      assert.equal(workbench.emulator.state, 'running', 'restarted by this window');
      await until('every view lists the same bucket and job again, the banner is gone', async () => {
        for (const [name, tree] of views) {
          const [first] = await tree.getChildren();
          if (first && String(first.contextValue).startsWith('error')) return `${name}: ${labelOf(first)}`;
        }
        if (!(await labels(workbench.datasets)).includes(bucket)) return 'the bucket is missing';
        if (!(await labels(workbench.trainingJobs)).includes(job)) return 'the job is missing';
        const shown = workbench.trainingJobPanels.shown(job);
        return (shown?.banner === undefined && shown?.job?.name === job) || `panel banner: ${shown?.banner?.title}`;
      }, NOTICE_BOUND_MS);
      assert.equal(workbench.connection.state, 'connected');
      await vscode.commands.executeCommand('sagemaker.stopEmulator');
      assert.equal(workbench.emulator.state, 'stopped');
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Start Local Emulator in a window set up as npm start sets it up uses its data folder and port: the state is kept', async function () {
    this.timeout(90_000);
    const workbench = await activateWorkbench();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sagemaker-npm-start-'));
    own = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
    const url = own.url;
    const bucket = uniqueName('kept');
    await inWindowOf(url, dataDir, async () => {
      await createDataset(bucket, { 'a.txt': 'a' });
      // Not started by this window, but keeping its state here: Stop stops it, through its control.
      assert.equal(workbench.emulator.state, 'stopped');
      await vscode.commands.executeCommand('sagemaker.stopEmulator');
      await own!.exited;
      // Start: the same port and data folder, so the bucket is still there.
      await vscode.commands.executeCommand('sagemaker.startEmulator');
      assert.equal(workbench.emulator.state, 'running');
      const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { dataDir: string };
      assert.equal(health.dataDir, dataDir);
      workbench.datasets.refresh();
      assert.ok((await labels(workbench.datasets)).includes(bucket), 'the bucket made before the restart is listed');
      await vscode.commands.executeCommand('sagemaker.stopEmulator');
      assert.equal(workbench.emulator.state, 'stopped');
    });
  });

  it('leaves an emulator that keeps its state elsewhere alone, and says whose it is', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const theirs = mkdtempSync(path.join(tmpdir(), 'sagemaker-theirs-'));
    const mine = mkdtempSync(path.join(tmpdir(), 'sagemaker-mine-'));
    own = await startEmulatorProcess({ dataDir: theirs, maxConcurrentJobs: 0 });
    const url = own.url;
    await inWindowOf(url, mine, async () => {
      for (const action of [() => workbench.emulator.stop(url, mine), () => workbench.emulator.start(url, mine)]) {
        await assert.rejects(action(), (error: unknown) => {
          // The extension's own class (its bundle), recognised by name.
          assert.equal((error as Error).name, 'NotOurEmulatorError');
          assert.match((error as Error).message, new RegExp(`keeps its state in ${theirs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
          assert.match((error as Error).message, /sagemaker\.emulator\.dataDir/);
          return true;
        });
      }
      // The command says so and leaves it running.
      await vscode.commands.executeCommand('sagemaker.stopEmulator');
      assert.equal((await fetch(`${url}/_emulator/health`)).status, 200, 'still running');
    });
  });
});

/** True once every view shows the error node for the dead emulator and the panel its banner; else what is still up. */
async function everyViewDown(workbench: Workbench, views: [string, ResourceTree][], host: string, job: string): Promise<string | true> {
  for (const [name, tree] of views) {
    const [first, ...rest] = await tree.getChildren();
    if (rest.length > 0 || first?.contextValue !== 'error.unreachable') return `${name}: ${first ? labelOf(first) : 'empty'}`;
    assert.equal(labelOf(first), `Cannot reach the local emulator at ${host}`);
  }
  const banner = workbench.trainingJobPanels.shown(job)?.banner;
  return banner?.title === `Cannot reach the local emulator at ${host}` || `panel banner: ${banner?.title}`;
}
