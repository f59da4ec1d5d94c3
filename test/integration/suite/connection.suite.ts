// Integration suite (in the real extension host) of Connection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateWorkbench, closedPort, labelOf, withSetting } from '../../../harness/extensionHostFixtures';

describe('Connection', () => {
  it('shows an unreachable emulator as an error node that offers to start one', async () => {
    const workbench = await activateWorkbench();
    const port = await closedPort();
    await withSetting('sagemaker.emulator.url', `http://127.0.0.1:${port}`, async () => {
      const [node, ...rest] = await workbench.datasets.getChildren();
      assert.equal(rest.length, 0);
      assert.equal(labelOf(node), `Cannot reach the local emulator at 127.0.0.1:${port}`);
      assert.equal(node.command?.command, 'sagemaker.startEmulator');
      assert.equal(workbench.connection.state, 'unreachable');
      const [jobsNode] = await workbench.trainingJobs.getChildren();
      assert.equal(jobsNode.command?.command, 'sagemaker.startEmulator');
    });
  });

  it('names the bad setting when the emulator URL is invalid', async () => {
    const workbench = await activateWorkbench();
    await withSetting('sagemaker.emulator.url', 'localhost 4590', async () => {
      const [node] = await workbench.datasets.getChildren();
      assert.equal(labelOf(node), 'Invalid connection setting');
      assert.match(String(node.tooltip), /sagemaker\.emulator\.url/);
      assert.deepEqual(node.command?.arguments, ['sagemaker.emulator.url']);
    });
    await withSetting('sagemaker.connection.region', 'Frankfurt', async () => {
      const [node] = await workbench.trainingJobs.getChildren();
      assert.match(String(node.tooltip), /sagemaker\.connection\.region/);
    });
  });

  it('starts the bundled emulator with VS Code\'s runtime, then stops it', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const port = await closedPort();
    await withSetting('sagemaker.emulator.url', `http://127.0.0.1:${port}`, async () => {
      await vscode.commands.executeCommand('sagemaker.startEmulator');
      assert.equal(workbench.emulator.state, 'running');
      const health = await fetch(`http://127.0.0.1:${port}/_emulator/health`);
      assert.equal(health.status, 200);
      workbench.datasets.refresh();
      const children = await workbench.datasets.getChildren();
      assert.ok(children.every((item) => !String(item.contextValue).startsWith('error')), children.map(labelOf).join(', '));
      assert.equal(workbench.connection.state, 'connected');

      await vscode.commands.executeCommand('sagemaker.stopEmulator');
      assert.equal(workbench.emulator.state, 'stopped');
      workbench.datasets.refresh();
      const [node] = await workbench.datasets.getChildren();
      assert.equal(node.command?.command, 'sagemaker.startEmulator');
    });
  });
});
