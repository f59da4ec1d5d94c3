// What every transfer shows: one cancellable progress notification (bytes, rate, time left), the
// question what to do with what already exists (overwrite / skip / cancel — never silently), and one
// closing message. Uploads from the commands and from drag-and-drop run through `uploadWithProgress`.
import * as vscode from 'vscode';
import { countOf, formatBytes } from '../format';
import { describeProgress, type TransferSnapshot } from '../pipeline/transfers/transferProgress';
import { existingKeys, planUpload, uploadFiles, type UploadOutcome } from '../pipeline/transfers/upload';
import { failureText } from '../failures/classify';
import type { Services } from '../services';

/** The notification is updated at most this often: a large folder reports thousands of parts. */
const REPORT_EVERY_MS = 200;

export type ConflictChoice = 'overwrite' | 'skip';

/** Asks what to do with the `existing` of `total` items; undefined: cancel the transfer. */
export async function askAboutExisting(existing: readonly string[], total: number, where: string): Promise<ConflictChoice | undefined> {
  if (existing.length === 0) return 'overwrite';
  const shown = existing.slice(0, 5).join('\n') + (existing.length > 5 ? `\n… and ${existing.length - 5} more` : '');
  const choice = await vscode.window.showWarningMessage(
    existing.length === 1 && total === 1 ? `${existing[0]} already exists in ${where}.` : `${existing.length} of ${countOf(total, 'file')} already exist in ${where}.`,
    { modal: true, detail: shown },
    'Overwrite',
    'Skip Existing',
  );
  return choice === 'Overwrite' ? 'overwrite' : choice === 'Skip Existing' ? 'skip' : undefined;
}

/**
 * Runs `work` under one cancellable notification titled `title`, reporting each snapshot it gives
 * (throttled); `work` gets the cancellation as an AbortSignal.
 */
export function withTransferProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (snapshot: TransferSnapshot) => void) => Promise<T>,
  /** Cancels too, besides the notification's Cancel (a caller's own cancellation). */
  external?: AbortSignal,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const cancel = new AbortController();
    const onExternal = () => cancel.abort();
    external?.addEventListener('abort', onExternal);
    if (external?.aborted) cancel.abort();
    const subscription = token.onCancellationRequested(() => cancel.abort());
    let reportedPercent = 0;
    let lastReport = 0;
    const report = (snapshot: TransferSnapshot) => {
      const now = Date.now();
      if (now - lastReport < REPORT_EVERY_MS && snapshot.doneBytes < snapshot.totalBytes) return;
      lastReport = now;
      const percent = snapshot.totalBytes > 0 ? (snapshot.doneBytes / snapshot.totalBytes) * 100 : 100;
      progress.report({ message: describeProgress(snapshot), increment: Math.max(0, percent - reportedPercent) });
      reportedPercent = Math.max(reportedPercent, percent);
    };
    return work(cancel.signal, report).finally(() => {
      subscription.dispose();
      external?.removeEventListener('abort', onExternal);
    });
  });
}

/** How a transfer may be driven without its prompts (another command, an extension, a test). */
export interface TransferOptions {
  /** What to do with what exists, instead of asking. */
  existing?: ConflictChoice;
  /** Cancels the transfer, as the notification's Cancel does. */
  signal?: AbortSignal;
}

/**
 * Uploads local files and folders (`sources`) to `s3://bucket/prefix`, asking first about keys that
 * exist. Returns the outcome, or undefined if the user cancelled before anything was sent.
 */
export async function uploadWithProgress(
  services: Pick<Services, 'connection' | 'failures'>,
  sources: readonly string[],
  bucket: string,
  prefix: string,
  options: TransferOptions = {},
): Promise<UploadOutcome | undefined> {
  const where = `s3://${bucket}/${prefix}`;
  const s3 = await services.connection.clients.s3();
  const items = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Preparing the upload to ${where}` }, () => planUpload(sources, prefix));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Nothing to upload: the folders chosen hold no files.');
    return undefined;
  }
  const existing = await existingKeys(s3, bucket, items.map((item) => item.key));
  const choice = existing.size === 0 ? 'overwrite' : (options.existing ?? (await askAboutExisting([...existing], items.length, where)));
  if (!choice) return undefined;
  const totalBytes = items.reduce((sum, item) => sum + item.size, 0);
  const outcome = await withTransferProgress(`Uploading ${items.length === 1 ? items[0].key.slice(prefix.length) : countOf(items.length, 'file')} to ${where}`, (signal, report) =>
    uploadFiles(s3, bucket, items, { signal, existing, skip: choice === 'skip' ? existing : undefined, onProgress: report }),
    options.signal,
  );
  if (outcome.cancelled) {
    void vscode.window.showInformationMessage(
      `Upload cancelled: nothing it sent is left in ${where}${outcome.cancelled.removed.length ? ` (${countOf(outcome.cancelled.removed.length, 'finished file')} deleted again)` : ''}.`,
    );
  } else if (outcome.failed) {
    // Said in the one failure language, with what was done: finished files stay, nothing partial.
    const failure = services.failures.classify(outcome.failed.error, { doing: `upload ${outcome.failed.key} to s3://${bucket}`, resource: { kind: 'object', name: `s3://${bucket}/${outcome.failed.key}` } });
    void vscode.window.showErrorMessage(
      `${failureText(failure)} The upload stopped there: ${outcome.uploaded.length} of ${countOf(items.length, 'file')} were uploaded and nothing partial was left. Upload again and choose Skip Existing to send the rest.`,
    );
  } else {
    const skipped = outcome.skipped.length ? `, skipped ${countOf(outcome.skipped.length, 'file')} that existed` : '';
    void vscode.window.showInformationMessage(`Uploaded ${countOf(outcome.uploaded.length, 'file')} (${formatBytes(totalBytes)}) to ${where}${skipped}.`);
  }
  return outcome;
}
