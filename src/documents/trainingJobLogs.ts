// A training job's logs as a read-only document that follows them: CloudWatch events of all its
// hosts, interleaved by time, read each time the one poller reads the job's status (shared with the
// job's panel) while the job is in progress, and a last line once it has ended. It opens at its end
// and keeps the end in view as lines arrive, unless the reader scrolled up. A connection that goes
// down says so in the document (with the next step) and the log goes on once it is back; any
// other failure ends the log with the classified reason. Closing the document stops the reads. (A
// document rather than an output channel: it can be searched, copied, kept open beside the job's
// panel, and tests can read it.)
import * as vscode from 'vscode';
import { failureText, type Failure } from '../failures/classify';
import { NEXT_STEP_LABELS, type NextStep } from '../failures/nextSteps';
import { formatLogLine, TrainingJobLogCursor } from '../pipeline/trainingJobLogs';
import { isActive, type TrainingJobDescription } from '../pipeline/trainingJobs';
import type { PollOutcome, PollWatch } from '../polling/poller';
import { everyMs, POLL_INTERVAL_MS } from '../polling/schedules';
import { trainingJobKey, watchTrainingJob } from '../polling/watches';
import type { Services } from '../services';

export const LOGS_SCHEME = 'sagemaker-logs';

interface Tail {
  jobName: string;
  cursor: TrainingJobLogCursor;
  lines: string[];
  /** While the connection is down: why, and that the log goes on once it is back. */
  notice?: string;
  /** The notice's next step, offered as a lens on its line (the same button the views offer). */
  noticeFailure?: Failure;
  /** The job's end, once it has ended and its last events are read; or why the log ended. */
  footer?: string;
  /** Why the log ended, when a read failed: its next steps (and Retry) are lenses on the footer. */
  footerFailure?: Failure;
  watch?: PollWatch;
  /** The log read under way, so that reads never overlap. */
  reading?: Promise<void>;
  /** No more reads: the job ended, a read failed, or the document was closed. */
  ended: boolean;
}

export class TrainingJobLogs implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly tails = new Map<string, Tail>();
  /** Per document: whether its editor shows the end, so that new lines keep it in view. */
  private readonly atEnd = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ scheme: LOGS_SCHEME }, this),
      this.changed.event(() => this.lensesChanged.fire()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === LOGS_SCHEME) this.stop(document.uri.toString());
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor, visibleRanges }) => {
        const document = textEditor.document;
        if (document.uri.scheme !== LOGS_SCHEME) return;
        const lastVisible = visibleRanges.at(-1)?.end.line ?? 0;
        this.atEnd.set(document.uri.toString(), lastVisible >= document.lineCount - 2);
      }),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (document.uri.scheme !== LOGS_SCHEME || this.atEnd.get(document.uri.toString()) === false) return;
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document === document) revealEnd(editor);
        }
      }),
    ];
  }

  static uriOf(jobName: string): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/training-jobs/${encodeURIComponent(jobName)}.log` });
  }

  /** Opens the job's log document at its end (starting to follow it) and returns it. */
  async show(jobName: string): Promise<vscode.TextDocument> {
    const uri = TrainingJobLogs.uriOf(jobName);
    const key = uri.toString();
    // An ended log is read afresh: the job may have been stopped and more hosts may have logged since.
    if (this.tails.get(key)?.ended !== false) {
      const tail: Tail = { jobName, cursor: new TrainingJobLogCursor(jobName), lines: [], ended: false };
      this.tails.set(key, tail);
      await this.follow(uri, tail);
      // A document still open shows the fresh read, even when it has no line yet.
      this.changed.fire(uri);
    }
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'log');
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    this.atEnd.set(key, true);
    // The cursor at the end too: where the log grows, and where keyboard scrolling starts.
    const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
    editor.selection = new vscode.Selection(end, end);
    revealEnd(editor);
    return document;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const tail = this.tails.get(uri.toString());
    if (!tail) return '';
    const waiting = tail.lines.length === 0 && !tail.footer ? [`Waiting for the first log line of training job ${tail.jobName}…`] : [];
    return [...waiting, ...tail.lines, ...(tail.notice ? [tail.notice] : []), ...(tail.footer ? [tail.footer] : [])].join('\n') + '\n';
  }

  /**
   * The next steps as lenses, the same buttons the views' error node offers: on the connection-down
   * notice its steps; on the footer of a log that could not be read its steps and Retry (read it afresh).
   */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const tail = this.tails.get(document.uri.toString());
    if (!tail) return [];
    const retry: vscode.Command = { command: 'sagemaker.trainingJob.showLogs', title: NEXT_STEP_LABELS.retry, arguments: [tail.jobName] };
    return [
      ...this.lensesOn(document, tail.notice, tail.noticeFailure, tail.noticeFailure?.steps ?? []),
      ...this.lensesOn(document, tail.footer, tail.footerFailure, withRetry(tail.footerFailure?.steps ?? []), retry),
    ];
  }

  private lensesOn(document: vscode.TextDocument, text: string | undefined, failure: Failure | undefined, steps: NextStep[], retry?: vscode.Command): vscode.CodeLens[] {
    if (text === undefined || !failure) return [];
    const line = [...Array(document.lineCount).keys()].reverse().find((index) => document.lineAt(index).text === text);
    if (line === undefined) return [];
    const range = document.lineAt(line).range;
    return steps
      .map((step) => this.services.failures.command(step, failure, retry))
      .filter((command): command is vscode.Command => command !== undefined)
      .map((command) => new vscode.CodeLens(range, command));
  }

  /** Watches the job's status; resolves once the first status and log lines are in. */
  private async follow(uri: vscode.Uri, tail: Tail): Promise<void> {
    const down = this.services.failures.connectionFailure();
    if (down) {
      // Nothing is read while the connection is down; the watch reads once it is back.
      tail.notice = downNotice(failureText(down), down.steps[0]);
      tail.noticeFailure = down;
    }
    tail.watch = watchTrainingJob(this.services, tail.jobName, (outcome) => this.onStatus(uri, tail, outcome), everyMs(POLL_INTERVAL_MS));
    if (!down) await this.services.poller.refresh(trainingJobKey(tail.jobName));
    await tail.reading;
  }

  /** The status first: events logged before the job ended are then all in the read that follows. */
  private onStatus(uri: vscode.Uri, tail: Tail, outcome: PollOutcome<TrainingJobDescription>): void {
    if (tail.ended || tail.reading) return;
    tail.reading = (async () => {
      try {
        if ('error' in outcome) throw outcome.error;
        const status = outcome.value.TrainingJobStatus;
        const lines = await tail.cursor.next(await this.services.connection.clients.logs());
        tail.lines.push(...lines.map(formatLogLine));
        const hadNotice = tail.notice !== undefined;
        tail.notice = undefined;
        tail.noticeFailure = undefined;
        if (status && !isActive(status)) tail.footer = `— training job ${tail.jobName} is ${status}: its log ends here —`;
        if (lines.length > 0 || tail.footer || hadNotice) this.changed.fire(uri);
      } catch (error) {
        this.services.connection.report(error);
        const down = this.services.failures.connectionFailure();
        if (down) {
          tail.notice = downNotice(failureText(down), down.steps[0]);
          tail.noticeFailure = down;
        } else {
          // Worded and redacted as every failure the extension shows.
          const failure = this.services.failures.classify(error, { resource: { kind: 'trainingJob', name: tail.jobName } });
          tail.footer = `— the log could not be read: ${failureText(failure)} (run Show Logs again to retry) —`;
          tail.footerFailure = failure;
        }
        this.changed.fire(uri);
      } finally {
        tail.reading = undefined;
      }
      if (tail.footer) this.end(tail);
    })();
  }

  private end(tail: Tail): void {
    tail.ended = true;
    tail.watch?.dispose();
    tail.watch = undefined;
  }

  private stop(key: string): void {
    const tail = this.tails.get(key);
    if (!tail) return;
    this.end(tail);
    this.tails.delete(key);
    this.atEnd.delete(key);
  }

  dispose(): void {
    for (const key of [...this.tails.keys()]) this.stop(key);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.changed.dispose();
    this.lensesChanged.dispose();
  }
}

/** The line a log shows while the connection is down. */
function downNotice(text: string, step: keyof typeof NEXT_STEP_LABELS | undefined): string {
  return `— ${text}${step ? ` Next step: ${NEXT_STEP_LABELS[step]}.` : ''} The log goes on by itself once the connection is back. —`;
}

/** A failed read can always be tried again: Retry last, unless the failure offers it already. */
function withRetry(steps: NextStep[]): NextStep[] {
  return steps.includes('retry') ? steps : [...steps, 'retry'];
}

function revealEnd(editor: vscode.TextEditor): void {
  const last = editor.document.lineAt(Math.max(0, editor.document.lineCount - 1)).range.end;
  editor.revealRange(new vscode.Range(last, last), vscode.TextEditorRevealType.Default);
}
