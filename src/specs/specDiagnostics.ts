// Problems of open job spec files, on their lines, as they are typed: syntax errors and the rules
// beyond the schema (the schema's own checks come from VS Code's JSON support and, for YAML, the YAML
// extension), plus what AWS said at the last launch and what Validate found — kept until the next edit.
import * as vscode from 'vscode';
import { parseSpec, formatOf, type ParsedSpec, type TextRange } from '../pipeline/specs/specDocument';
import { specKindOf } from '../pipeline/specs/specKinds';
import { specProblems, type SpecProblem } from '../pipeline/specs/specRules';

const YAML_EXTENSION = 'redhat.vscode-yaml';
const DEBOUNCE_MS = 250;

const SEVERITIES: Record<SpecProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function rangeIn(document: vscode.TextDocument, range: TextRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}

/** The value at `path`, if there is one. */
function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((current, segment) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment as string] : undefined), value);
}

/**
 * A problem as a diagnostic on the member it is about: its value when that is a scalar, its name
 * when asked or when the value is an object or list (whose range spans lines), the nearest existing
 * member when the path does not exist.
 */
export function diagnosticOf(document: vscode.TextDocument, spec: ParsedSpec, problem: SpecProblem, source: string): vscode.Diagnostic {
  const located = spec.locate(problem.path);
  const collection = typeof valueAt(spec.value, problem.path) === 'object';
  const onKey = problem.onKey || collection || !located.exact;
  const range = onKey && located.key ? located.key : located.value;
  // A range over many lines (the whole spec, for a problem of the root) is shown on its first.
  let vscodeRange = rangeIn(document, range);
  if (vscodeRange.start.line !== vscodeRange.end.line) vscodeRange = document.lineAt(vscodeRange.start.line).range;
  const diagnostic = new vscode.Diagnostic(vscodeRange, problem.message, SEVERITIES[problem.severity]);
  diagnostic.source = source;
  return diagnostic;
}

export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('sagemaker-specs');
  /** Problems found by a launch or Validate, per document, until it changes. */
  private readonly reported = new Map<string, vscode.Diagnostic[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
        if (contentChanges.length === 0 || !specKindOf(document.fileName)) return;
        this.reported.delete(document.uri.toString());
        clearTimeout(this.timers.get(document.uri.toString()));
        this.timers.set(document.uri.toString(), setTimeout(() => this.check(document), DEBOUNCE_MS));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.reported.delete(document.uri.toString());
        this.collection.delete(document.uri);
      }),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.check(document));
  }

  /** The editor checks the schema itself for JSON, and for YAML when the YAML extension is there. */
  static schemaCheckedByEditor(document: vscode.TextDocument): boolean {
    return formatOf(document.fileName) === 'json' || vscode.extensions.getExtension(YAML_EXTENSION) !== undefined;
  }

  /** The document's problems now (syntax and rules), published with those a launch or Validate reported. */
  check(document: vscode.TextDocument): vscode.Diagnostic[] {
    const kind = specKindOf(document.fileName);
    if (!kind) return [];
    const spec = parseSpec(document.getText(), formatOf(document.fileName));
    const diagnostics = spec.syntaxErrors.map((error) => {
      const diagnostic = new vscode.Diagnostic(rangeIn(document, error.range), error.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'SageMaker spec';
      return diagnostic;
    });
    if (spec.value !== undefined) {
      const problems = specProblems(kind, spec.value, { schemaCheckedByEditor: SpecDiagnostics.schemaCheckedByEditor(document) });
      diagnostics.push(...problems.map((problem) => diagnosticOf(document, spec, problem, 'SageMaker spec')));
    }
    const all = [...diagnostics, ...(this.reported.get(document.uri.toString()) ?? [])];
    this.collection.set(document.uri, all);
    return all;
  }

  /** Problems a launch (AWS's validation) or Validate (S3, names) found, shown until the next edit. */
  report(document: vscode.TextDocument, problems: readonly SpecProblem[], source: string): vscode.Diagnostic[] {
    const spec = parseSpec(document.getText(), formatOf(document.fileName));
    const diagnostics = problems.map((problem) => diagnosticOf(document, spec, problem, source));
    this.reported.set(document.uri.toString(), diagnostics);
    return this.check(document);
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.collection.dispose();
  }
}
