// "SageMaker: Launch" (CodeLens and palette) — sends the open spec file as its Create*Job request.
// Problems already known (syntax, schema, rules) are shown first; a taken name gets a free one
// proposed (`<name>-2`); AWS's own validation errors land on the spec's lines. A training job, once
// created, is revealed and selected in Training Jobs and its log opens; a batch transform job shows
// in Batch Transform Jobs.
import * as vscode from 'vscode';
import { nameProblem } from '../../pipeline/names';
import { askNewName } from '../../pickers/askNewName';
import { problemsFromAwsError } from '../../pipeline/specs/awsValidation';
import { createJob, isNameTaken, jobNameHolder, jobNameOf, requestOf } from '../../pipeline/specs/launch';
import { formatOf, parseSpec } from '../../pipeline/specs/specDocument';
import { SPEC_KINDS, specKindOf, type SpecKind } from '../../pipeline/specs/specKinds';
import { revealTrainingJob } from '../../trees/revealTrainingJob';
import type { Workbench } from '../../workbench';

/** The spec document a command acts on: the one given, or the active editor's. */
export async function specDocument(uri: vscode.Uri | undefined): Promise<{ document: vscode.TextDocument; kind: SpecKind } | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  const kind = document && specKindOf(document.fileName);
  if (!document || !kind) {
    void vscode.window.showWarningMessage('Open a job spec file (name.training.json|yaml, name.processing.json|yaml or name.transform.json|yaml) to launch or validate it. SageMaker: New Training Job Spec writes one.');
    return undefined;
  }
  return { document, kind };
}

/** Where a diagnostic is, for messages: "line 12". */
function lineOf(diagnostic: vscode.Diagnostic): string {
  return `line ${diagnostic.range.start.line + 1}`;
}

/** Launches the spec; returns the new job's name, or undefined if nothing was launched. `name` skips the prompt for a free name. */
export async function launchSpec(workbench: Workbench, uri?: vscode.Uri, options: { name?: string } = {}): Promise<string | undefined> {
  const found = await specDocument(uri);
  if (!found) return undefined;
  const { document, kind } = found;
  const { noun, nameMember } = SPEC_KINDS[kind];
  workbench.specDiagnostics.check(document);
  // Every error on the file, the schema's (from the JSON or YAML language support) included.
  const errors = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length > 0) {
    const choice = await vscode.window.showErrorMessage(
      `The spec has ${errors.length} problem${errors.length === 1 ? '' : 's'}; the first, at ${lineOf(errors[0])}: ${errors[0].message}`,
      'Show Problems',
      'Launch Anyway',
    );
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice !== 'Launch Anyway') return undefined;
  }
  const spec = parseSpec(document.getText(), formatOf(document.fileName));
  if (spec.syntaxErrors.length > 0 || typeof spec.value !== 'object' || spec.value === null) {
    void vscode.window.showErrorMessage(`The spec cannot be read as ${formatOf(document.fileName).toUpperCase()}: fix its syntax first.`);
    return undefined;
  }
  const request = requestOf(spec.value);
  const sageMaker = await workbench.connection.clients.sageMaker();
  let name =
    options.name ??
    jobNameOf(kind, request) ??
    (await vscode.window.showInputBox({ title: `Launch ${noun}`, prompt: `The spec has no ${nameMember}: name the ${noun}`, validateInput: nameProblem }));
  if (!name) return undefined;

  for (;;) {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Launching ${noun} ${name}` }, () => createJob(sageMaker, kind, request, name!));
      break;
    } catch (error) {
      if (isNameTaken(error)) {
        // The one name prompt: it proposes a free name (`<name>-2`) and refuses taken ones as typed.
        const chosen = await askNewName({
          title: `A ${noun} named ${name} already exists`,
          prompt: 'Job names are used once per account and region. Launch this spec as:',
          value: name,
          holder: (candidate) => jobNameHolder(sageMaker, kind, candidate),
          region: workbench.connection.settings.region,
        });
        if (!chosen) return undefined;
        name = chosen;
        continue;
      }
      const problems = problemsFromAwsError(error, spec.value);
      if (!problems) throw error;
      const diagnostics = workbench.specDiagnostics.report(document, problems, 'SageMaker');
      const first = diagnostics.find((diagnostic) => diagnostic.source === 'SageMaker');
      void vscode.window
        .showErrorMessage(`SageMaker refused the spec (${problems.length} problem${problems.length === 1 ? '' : 's'})${first ? `; at ${lineOf(first)}: ${first.message}` : ''}`, 'Show Problems')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return undefined;
    }
  }

  if (kind === 'training') {
    await revealTrainingJob(workbench, name);
    workbench.checkpoints.showJob(name);
    await workbench.trainingJobLogs.show(name);
  }
  if (kind === 'transform') {
    workbench.transformJobs.refresh();
    void vscode.commands.executeCommand('sagemaker.transformJobs.focus');
  }
  void vscode.window.showInformationMessage(`Launched ${noun} ${name}.`);
  return name;
}
