// From the palette, without a tree node: the training job to act on, typed in.
import * as vscode from 'vscode';

export function askTrainingJobName(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, placeHolder: 'my-training-job' });
}
