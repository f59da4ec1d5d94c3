// The editor's side of `*.prompts.yaml` files: their problems as diagnostics on the lines they are
// about (the same parser as the runner and the CLI, so the editor, the Testing view and CI agree),
// and CodeLenses to run the whole file or one case.
import * as vscode from 'vscode';
import { isPromptFile, parsePromptFile } from '../pipeline/promptTests/promptFile';

export const RUN_PROMPT_TESTS_COMMAND = 'sagemaker.promptTests.run';

export class PromptTestFiles implements vscode.Disposable, vscode.CodeLensProvider {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('sagemaker-prompt-tests');
  private readonly changedLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changedLenses.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      this.diagnostics,
      this.changedLenses,
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        this.check(document);
        this.changedLenses.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
      vscode.languages.registerCodeLensProvider({ pattern: '**/*.prompts.{yaml,yml}' }, this),
    ];
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  check(document: vscode.TextDocument): void {
    if (!isPromptFile(document.fileName)) return;
    const parsed = parsePromptFile(document.getText());
    this.diagnostics.set(
      document.uri,
      parsed.ok
        ? []
        : parsed.problems.map((problem) => {
            const diagnostic = new vscode.Diagnostic(new vscode.Range(document.positionAt(problem.range.start), document.positionAt(problem.range.end)), problem.message, vscode.DiagnosticSeverity.Error);
            diagnostic.source = 'SageMaker prompt tests';
            return diagnostic;
          }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = parsePromptFile(document.getText());
    const top = new vscode.Range(0, 0, 0, 0);
    if (!parsed.ok) return [];
    return [
      new vscode.CodeLens(top, { title: '$(run-all) Run Prompt Tests', command: RUN_PROMPT_TESTS_COMMAND, arguments: [document.uri] }),
      ...parsed.file.cases.map((promptCase) => {
        const start = document.positionAt(promptCase.range.start);
        return new vscode.CodeLens(new vscode.Range(start, start), { title: '$(run) Run Case', command: RUN_PROMPT_TESTS_COMMAND, arguments: [document.uri, promptCase.name] });
      }),
    ];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
