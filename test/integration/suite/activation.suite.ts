// Integration suite (in the real extension host) of Activation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateWorkbench, EXTENSION_ID } from '../../../harness/extensionHostFixtures';

describe('Activation', () => {
  it('activates lazily and contributes the SageMaker commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, false, 'nothing should activate the extension before its views or commands are used');
    const workbench = await activateWorkbench();
    assert.equal(extension.isActive, true);
    assert.equal(workbench.connection.settings.mode, 'emulator');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['sagemaker.switchConnection', 'sagemaker.startEmulator', 'sagemaker.stopEmulator', 'sagemaker.datasets.refresh']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });
});
