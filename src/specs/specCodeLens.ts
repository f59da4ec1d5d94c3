// *Launch* and *Validate* above the first line of every job spec file.
import * as vscode from 'vscode';
import { SPEC_FILE_GLOB, SPEC_KINDS, specKindOf } from '../pipeline/specs/specKinds';

export const SPEC_SELECTOR: vscode.DocumentSelector = [{ pattern: SPEC_FILE_GLOB }];

export class SpecCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const kind = specKindOf(document.fileName);
    if (!kind) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: `$(rocket) Launch ${SPEC_KINDS[kind].noun}`, command: 'sagemaker.spec.launch', arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(check) Validate', command: 'sagemaker.spec.validate', arguments: [document.uri] }),
    ];
  }
}
