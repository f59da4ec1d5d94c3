// "SageMaker: Run Prompt Tests" — a prompt-test file (the active editor's, or one picked from the
// workspace), or one case of it, against one or two endpoints (picked, or given), in the Testing view.
import * as vscode from 'vscode';
import { isPromptFile } from '../pipeline/promptTests/promptFile';
import { PROMPT_FILES_GLOB, type PromptTestRunOutcome } from '../testing/promptTests';
import type { Workbench } from '../workbench';

export async function runPromptTests(
  workbench: Pick<Workbench, 'promptTests'>,
  uri?: vscode.Uri,
  caseName?: string,
  endpoints?: string[],
): Promise<PromptTestRunOutcome | undefined> {
  const file = uri ?? (await pickPromptFile());
  if (!file) return undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Running prompt tests of ${vscode.workspace.asRelativePath(file)}` },
    () => workbench.promptTests.run(file, { caseName, endpoints }),
  );
}

async function pickPromptFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isPromptFile(active.fileName)) return active.uri;
  const files = await vscode.workspace.findFiles(PROMPT_FILES_GLOB, '**/node_modules/**');
  if (files.length === 0) {
    void vscode.window.showInformationMessage('No prompt-test files in this workspace: create one named like checks.prompts.yaml.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: vscode.workspace.asRelativePath(file), file })),
    { title: 'Run Prompt Tests', placeHolder: 'A prompt-test file' },
  );
  return picked?.file;
}
