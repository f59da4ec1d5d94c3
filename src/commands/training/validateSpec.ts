// "SageMaker: Validate" (CodeLens and palette) — everything Launch would find out before it creates
// anything: the spec's syntax, its schema and rules, and what the service says (inputs without data,
// missing buckets, a taken name). The problems go on their lines; one message sums them up.
import * as vscode from 'vscode';
import { requestOf, serviceProblems } from '../../pipeline/specs/launch';
import { formatOf, parseSpec } from '../../pipeline/specs/specDocument';
import type { Workbench } from '../../workbench';
import { specDocument } from './launchSpec';

/** Returns the problems found (diagnostics), or undefined when there was no spec to validate. */
export async function validateSpec(workbench: Workbench, uri?: vscode.Uri): Promise<vscode.Diagnostic[] | undefined> {
  const found = await specDocument(uri);
  if (!found) return undefined;
  const { document, kind } = found;
  const spec = parseSpec(document.getText(), formatOf(document.fileName));
  workbench.specDiagnostics.check(document);
  if (spec.syntaxErrors.length === 0 && typeof spec.value === 'object' && spec.value !== null) {
    const clients = { s3: await workbench.connection.clients.s3(), sageMaker: await workbench.connection.clients.sageMaker() };
    const problems = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Validating the spec against SageMaker and S3' }, () =>
      serviceProblems(clients, kind, requestOf(spec.value)),
    );
    workbench.specDiagnostics.report(document, problems, 'SageMaker (Validate)');
  }
  const all = vscode.languages.getDiagnostics(document.uri);
  const errors = all.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error).length;
  const warnings = all.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Warning).length;
  if (errors + warnings === 0) {
    void vscode.window.showInformationMessage(`${document.fileName.split(/[\\/]/).pop()} is valid: its inputs hold data and its name is free.`);
  } else {
    void vscode.window[errors ? 'showErrorMessage' : 'showWarningMessage'](
      `${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'} in the spec: see the lines marked.`,
      'Show Problems',
    ).then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
  }
  return all;
}
