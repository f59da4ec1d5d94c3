// Prompt-test files in VS Code's Testing view (the Test API): each `*.prompts.yaml` file an item,
// each case a child, and — when a run has several endpoints or parameter sets — each variant a
// child of its case, so two model versions' results sit side by side. A failure shows the failed
// assertion on its line and the answer; "Rerun Failed Tests" re-runs the failed cases. The
// endpoints of a run are the ones picked last for the file, else the file's matrix, else asked for.
// After a run over several variants, the answers of each case are opened side by side (Markdown).
// A file that names no format runs in each endpoint's format as the chat knows it (or probes it).
import * as vscode from 'vscode';
import type { FormatMemory } from '../pipeline/chat/formatMemory';
import { describeCallFailure, invokeCall } from '../pipeline/promptTests/invoke';
import { NoEndpointError, planCalls, resolveEndpointFormats, variantOf } from '../pipeline/promptTests/plan';
import { isPromptFile, parsePromptFile, type TextRange } from '../pipeline/promptTests/promptFile';
import { comparisonMarkdown, failureLine } from '../pipeline/promptTests/report';
import { runCalls, type CallResult } from '../pipeline/promptTests/runner';
import { pickEndpoints } from '../pickers/pickEndpoints';
import type { Services } from '../services';

export const PROMPT_FILES_GLOB = '**/*.prompts.{yaml,yml}';
export const COMPARISON_SCHEME = 'sagemaker-prompt-results';

/** What a run reported for an item, kept for whoever looks after it (the integration tests, the comparison). */
export interface ReportedResult {
  itemId: string;
  state: 'passed' | 'failed' | 'errored';
  messages: string[];
}

export interface PromptTestRunOutcome {
  file: vscode.Uri;
  endpoints: string[];
  results: CallResult[];
  reported: ReportedResult[];
}

export class PromptTests implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly controller = vscode.tests.createTestController('sagemakerPromptTests', 'SageMaker Prompt Tests');
  /** The endpoints last chosen for each file, by URI. */
  private readonly chosenEndpoints = new Map<string, string[]>();
  private readonly comparisons = new Map<string, string>();
  private readonly changedComparison = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changedComparison.event;
  private readonly finished = new vscode.EventEmitter<PromptTestRunOutcome>();
  /** Fires after each file's run, with what was reported. */
  readonly onDidFinishRun = this.finished.event;
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * @param formats the chat's format memory: a file that names no format is run in each endpoint's
   * remembered one, or the one the chat's probe finds (and remembers) when the run starts.
   */
  constructor(
    private readonly services: Pick<Services, 'connection' | 'failures'>,
    private readonly formats: Pick<FormatMemory, 'resolve'>,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    // Runs started from the Testing view: a failure (say, listing endpoints) said as every surface says it.
    const fromView = (ask: boolean) => async (request: vscode.TestRunRequest, token: vscode.CancellationToken) => {
      try {
        await this.runRequest(request, token, ask);
      } catch (error) {
        void this.services.failures.notify(error, { doing: 'run prompt tests' });
      }
    };
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, fromView(false), true);
    this.controller.createRunProfile('Run Against Endpoints…', vscode.TestRunProfileKind.Run, fromView(true), false);
    const watcher = vscode.workspace.createFileSystemWatcher(PROMPT_FILES_GLOB);
    this.disposables.push(
      this.controller,
      this.changedComparison,
      this.finished,
      watcher,
      watcher.onDidCreate((uri) => void this.readFile(uri)),
      watcher.onDidChange((uri) => void this.readFile(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidOpenTextDocument((document) => this.readDocument(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.readDocument(document)),
      vscode.workspace.registerTextDocumentContentProvider(COMPARISON_SCHEME, this),
    );
    for (const document of vscode.workspace.textDocuments) this.readDocument(document);
  }

  /** The workspace's prompt-test files as items. */
  async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(PROMPT_FILES_GLOB, '**/node_modules/**');
    await Promise.all(files.map((uri) => this.readFile(uri)));
  }

  /** The file's item with its cases, read from the editor's text when it is open (unsaved edits included). */
  async readFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.readDocument(open);
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return this.update(uri, text, (offset) => positionOf(text, offset));
    } catch {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
  }

  private readDocument(document: vscode.TextDocument): vscode.TestItem | undefined {
    if (document.uri.scheme === COMPARISON_SCHEME || !isPromptFile(document.fileName)) return undefined;
    return this.update(document.uri, document.getText(), (offset) => document.positionAt(offset));
  }

  private update(uri: vscode.Uri, text: string, position: (offset: number) => vscode.Position): vscode.TestItem {
    const parsed = parsePromptFile(text);
    let fileItem = this.controller.items.get(uri.toString());
    if (!fileItem) {
      fileItem = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(fileItem);
    }
    const range = (span: TextRange) => new vscode.Range(position(span.start), position(span.end));
    if (!parsed.ok) {
      // The cases stay as they were; the problems are in the editor and the Problems view.
      fileItem.error = new vscode.MarkdownString(`This file has ${parsed.problems.length} problem(s): ${parsed.problems[0].message} (line ${parsed.problems[0].line})`);
      return fileItem;
    }
    fileItem.error = undefined;
    const cases = parsed.file.cases.map((promptCase) => {
      const item = fileItem!.children.get(promptCase.name) ?? this.controller.createTestItem(promptCase.name, promptCase.name, uri);
      item.range = range(promptCase.range);
      return item;
    });
    fileItem.children.replace(cases);
    return fileItem;
  }

  /** "Run Prompt Tests": the file (or one case of it) against the endpoints given, or picked. */
  async run(uri: vscode.Uri, options: { caseName?: string; endpoints?: string[] } = {}): Promise<PromptTestRunOutcome | undefined> {
    const fileItem = await this.readFile(uri);
    if (!fileItem) throw new Error(`Cannot read ${vscode.workspace.asRelativePath(uri)}.`);
    const endpoints = options.endpoints ?? (await this.askEndpoints(uri));
    if (!endpoints) return undefined;
    this.chosenEndpoints.set(uri.toString(), endpoints);
    const include = options.caseName ? [fileItem.children.get(options.caseName) ?? fileItem] : [fileItem];
    const request = new vscode.TestRunRequest(include, undefined, undefined);
    const source = new vscode.CancellationTokenSource();
    try {
      const outcomes = await this.runRequest(request, source.token, false);
      return outcomes[0];
    } finally {
      source.dispose();
    }
  }

  private async askEndpoints(uri: vscode.Uri): Promise<string[] | undefined> {
    const picked = await pickEndpoints(this.services, {
      title: `Run Prompt Tests: ${vscode.workspace.asRelativePath(uri)}`,
      preselect: this.chosenEndpoints.get(uri.toString()) ?? [],
    });
    return picked && picked.length > 0 ? picked : undefined;
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken, ask: boolean): Promise<PromptTestRunOutcome[]> {
    // Which cases of which files: whole files, cases, or variants (their case), minus the excluded.
    const byFile = new Map<string, { uri: vscode.Uri; cases?: Set<string> }>();
    const roots = request.include ?? [...gather(this.controller.items)];
    for (const item of roots) {
      const fileItem = rootOf(item);
      const entry = byFile.get(fileItem.id) ?? { uri: fileItem.uri!, cases: new Set<string>() };
      if (item === fileItem) entry.cases = undefined;
      else entry.cases?.add(caseOf(item).id);
      byFile.set(fileItem.id, entry);
    }
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const run = this.controller.createTestRun(request, undefined, true);
    const outcomes: PromptTestRunOutcome[] = [];
    try {
      for (const { uri, cases } of byFile.values()) {
        if (token.isCancellationRequested) break;
        const outcome = await this.runFile(run, uri, cases, excluded, token, ask);
        if (outcome) {
          outcomes.push(outcome);
          this.finished.fire(outcome);
        }
      }
    } finally {
      run.end();
    }
    return outcomes;
  }

  private async runFile(
    run: vscode.TestRun,
    uri: vscode.Uri,
    only: Set<string> | undefined,
    excluded: Set<string>,
    token: vscode.CancellationToken,
    ask: boolean,
  ): Promise<PromptTestRunOutcome | undefined> {
    const fileItem = await this.readFile(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const parsed = parsePromptFile(document.getText());
    if (!fileItem || !parsed.ok) {
      if (fileItem) run.errored(fileItem, new vscode.TestMessage(parsed.ok ? 'Cannot read the file.' : `Fix the file's problems first: ${parsed.problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('; ')}`));
      return undefined;
    }
    const file = parsed.file;
    const chosen = ask ? await this.askEndpoints(uri) : (this.chosenEndpoints.get(uri.toString()) ?? (file.matrix.endpoints.length ? undefined : await this.askEndpoints(uri)));
    if (ask && !chosen) return undefined;
    if (chosen) this.chosenEndpoints.set(uri.toString(), chosen);
    const names = new Set(file.cases.map((promptCase) => promptCase.name).filter((name) => (!only || only.has(name)) && !excluded.has(name)));
    let calls;
    try {
      calls = planCalls(file, { endpoints: chosen, only: names });
    } catch (error) {
      if (!(error instanceof NoEndpointError)) throw error;
      run.errored(fileItem, new vscode.TestMessage(error.message));
      return undefined;
    }
    const variants = [...new Set(calls.map(variantOf))];
    const several = variants.length > 1;
    const reported: ReportedResult[] = [];
    const caseItems = new Map<string, vscode.TestItem>();
    for (const name of names) {
      const caseItem = fileItem.children.get(name);
      if (!caseItem) continue;
      caseItems.set(name, caseItem);
      // One variant: the case is the test. Several: one child per variant, side by side.
      caseItem.children.replace(several ? variants.map((variant) => this.controller.createTestItem(variant, variant, uri)) : []);
      for (const child of gather(caseItem.children)) child.range = caseItem.range;
      run.enqueued(caseItem);
    }
    const itemOf = (result: { call: { caseName: string } } & { variant: string }) => {
      const caseItem = caseItems.get(result.call.caseName)!;
      return several ? caseItem.children.get(result.variant)! : caseItem;
    };
    const cancel = new AbortController();
    const cancelled = token.onCancellationRequested(() => cancel.abort());
    const settings = this.services.connection.validSettings;
    const runtime = await this.services.connection.clients.sageMakerRuntime();
    const rangeIn = (span: TextRange) => new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
    let results: CallResult[];
    try {
      calls = await resolveEndpointFormats(calls, (endpoint, signal) => this.formats.resolve(runtime, endpoint, signal), cancel.signal);
      results = await runCalls(calls, {
        concurrency: file.concurrency,
        signal: cancel.signal,
        invoke: (call, signal) => invokeCall(runtime, call, signal),
        describeFailure: (error, call) => describeCallFailure(error, call, { ...this.services.failures.context(), settings }),
        onStart: (call) => run.started(itemOf({ call, variant: variantOf(call) })),
        onResult: (result) => {
          const item = itemOf({ call: result.call, variant: variantOf(result.call) });
          const promptCase = file.cases.find((candidate) => candidate.name === result.call.caseName)!;
          run.appendOutput(`${result.passed ? 'PASS' : 'FAIL'} ${result.call.id}\r\n${(result.answer?.text ?? failureLine(result) ?? '').replace(/\r?\n/g, '\r\n')}\r\n\r\n`, undefined, item);
          const duration = result.answer?.latencyMs;
          if (result.passed) {
            run.passed(item, duration);
            reported.push({ itemId: itemPath(item), state: 'passed', messages: [] });
          } else if (result.failure) {
            const message = new vscode.TestMessage(`${result.failure.title}: ${result.failure.message}${result.failure.detail ? `\n${result.failure.detail}` : ''}`);
            message.location = new vscode.Location(uri, rangeIn(promptCase.range));
            run.errored(item, message, duration);
            reported.push({ itemId: itemPath(item), state: 'errored', messages: [message.message as string] });
          } else {
            const messages = result.assertions.flatMap((assertion, index) => (assertion.passed ? [] : [this.assertionMessage(assertion, result, uri, rangeIn(promptCase.assertionRanges[index]))]));
            run.failed(item, messages, duration);
            reported.push({ itemId: itemPath(item), state: 'failed', messages: result.assertions.filter((assertion) => !assertion.passed).map((assertion) => assertion.message) });
          }
        },
      });
    } finally {
      cancelled.dispose();
    }
    if (several) {
      // The case's own state: passed only when every variant passed.
      for (const [name, caseItem] of caseItems) {
        const ofCase = results.filter((result) => result.call.caseName === name);
        if (ofCase.length === 0) continue;
        if (ofCase.every((result) => result.passed)) run.passed(caseItem);
        else run.failed(caseItem, new vscode.TestMessage(`Failed on ${ofCase.filter((result) => !result.passed).map((result) => variantOf(result.call)).join(', ')}.`));
      }
      await this.showComparison(uri, results);
    }
    return { file: uri, endpoints: [...new Set(calls.map((call) => call.endpoint))], results, reported };
  }

  private assertionMessage(assertion: CallResult['assertions'][number], result: CallResult, uri: vscode.Uri, range: vscode.Range): vscode.TestMessage {
    const answer = result.answer?.text ?? '';
    // An answer that should equal a text is shown as a diff of the two.
    const message =
      assertion.assertion.kind === 'equals'
        ? vscode.TestMessage.diff(assertion.message, assertion.assertion.text.trim(), answer.trim())
        : new vscode.TestMessage(new vscode.MarkdownString().appendText(assertion.message).appendMarkdown('\n\n**Answer**\n\n').appendCodeblock(answer, 'text'));
    message.location = new vscode.Location(uri, range);
    return message;
  }

  /** The run's answers side by side, one column per endpoint or parameter set, beside the file. */
  private async showComparison(uri: vscode.Uri, results: CallResult[]): Promise<void> {
    const comparison = vscode.Uri.from({ scheme: COMPARISON_SCHEME, path: `/${vscode.workspace.asRelativePath(uri)}.md` });
    this.comparisons.set(comparison.toString(), comparisonMarkdown(`Prompt tests: ${vscode.workspace.asRelativePath(uri)}`, results));
    this.changedComparison.fire(comparison);
    const document = await vscode.workspace.openTextDocument(comparison);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.comparisons.get(uri.toString()) ?? 'Run the prompt tests of a file against two endpoints (or with parameter sets) to compare their answers here.';
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function* gather(collection: vscode.TestItemCollection): Iterable<vscode.TestItem> {
  const items: vscode.TestItem[] = [];
  collection.forEach((item) => items.push(item));
  yield* items;
}

function rootOf(item: vscode.TestItem): vscode.TestItem {
  let root = item;
  while (root.parent) root = root.parent;
  return root;
}

/** A case item, or the case a variant item belongs to. */
function caseOf(item: vscode.TestItem): vscode.TestItem {
  return item.parent?.parent ? item.parent : item;
}

/** `case` or `case/variant`: how the integration tests name what was reported. */
function itemPath(item: vscode.TestItem): string {
  return item.parent?.parent ? `${item.parent.id}/${item.id}` : item.id;
}

function positionOf(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset).split('\n');
  return new vscode.Position(before.length - 1, before[before.length - 1].length);
}
