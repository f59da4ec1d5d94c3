// A training job's logs as a read-only document that follows them: CloudWatch events of all its
// hosts, interleaved by time, appended every POLL_MS while the job is in progress, and a last line
// once it has ended. Closing the document stops the reads. (A document rather than an output
// channel: it can be searched, copied, kept open beside the job's panel, and tests can read it.)
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
import { formatLogLine, TrainingJobLogCursor } from '../pipeline/trainingJobLogs';
import { describeTrainingJob, isActive } from '../pipeline/trainingJobs';

export const LOGS_SCHEME = 'sagemaker-logs';
const POLL_MS = 2000;

interface Tail {
  jobName: string;
  cursor: TrainingJobLogCursor;
  lines: string[];
  /** The job's end, once it has ended and its last events are read. */
  footer?: string;
  timer?: ReturnType<typeof setTimeout>;
  /** No more reads: the job ended, a read failed, or the document was closed. */
  ended: boolean;
}

export class TrainingJobLogs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly tails = new Map<string, Tail>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly connection: Connection) {
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === LOGS_SCHEME) this.stop(document.uri.toString());
      }),
    ];
  }

  static uriOf(jobName: string): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/training-jobs/${encodeURIComponent(jobName)}.log` });
  }

  /** Opens the job's log document (starting to follow it) and returns it. */
  async show(jobName: string): Promise<vscode.TextDocument> {
    const uri = TrainingJobLogs.uriOf(jobName);
    // An ended log is read afresh: the job may have been stopped and more hosts may have logged since.
    if (this.tails.get(uri.toString())?.ended !== false) {
      const tail: Tail = { jobName, cursor: new TrainingJobLogCursor(jobName), lines: [], ended: false };
      this.tails.set(uri.toString(), tail);
      await this.read(uri, tail);
    }
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'log');
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const tail = this.tails.get(uri.toString());
    if (!tail) return '';
    const waiting = tail.lines.length === 0 && !tail.footer ? [`Waiting for the first log line of training job ${tail.jobName}…`] : [];
    return [...waiting, ...tail.lines, ...(tail.footer ? [tail.footer] : [])].join('\n') + '\n';
  }

  /** Reads what is new, then again after POLL_MS while the job is in progress. */
  private async read(uri: vscode.Uri, tail: Tail): Promise<void> {
    try {
      // The status first: events logged before the job ended are then all in the read that follows.
      const status = (await describeTrainingJob(await this.connection.clients.sageMaker(), tail.jobName)).TrainingJobStatus;
      const lines = await tail.cursor.next(await this.connection.clients.logs());
      tail.lines.push(...lines.map(formatLogLine));
      if (status && !isActive(status)) tail.footer = `— training job ${tail.jobName} is ${status}: its log ends here —`;
      if (lines.length > 0 || tail.footer) this.changed.fire(uri);
    } catch (error) {
      // Worded and redacted as every failure the extension shows.
      tail.footer = `— the log could not be read: ${classifyFailure(error).message} (run Show Logs again to retry) —`;
      this.changed.fire(uri);
    }
    if (tail.footer) tail.ended = true;
    if (tail.ended) return;
    tail.timer = setTimeout(() => void this.read(uri, tail), POLL_MS);
  }

  private stop(key: string): void {
    const tail = this.tails.get(key);
    if (!tail) return;
    tail.ended = true;
    clearTimeout(tail.timer);
    this.tails.delete(key);
  }

  dispose(): void {
    for (const key of [...this.tails.keys()]) this.stop(key);
    this.changed.dispose();
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
