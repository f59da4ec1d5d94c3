// How a job's status shows in a view, the same for training and batch transform jobs: its icon, its
// `contextValue` (package.json menus match on it) and its one-line description.
import * as vscode from 'vscode';
import { relativeTime } from '../format';

const JOB_STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  InProgress: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  Completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  Stopping: new vscode.ThemeIcon('loading~spin'),
  Stopped: new vscode.ThemeIcon('debug-stop'),
};

export interface ShownJob {
  status: string;
  createdAt?: Date;
}

/** Sets a job item's icon, description and context value: `kind.inProgress`, `kind.completed`, … */
export function showJobStatus(item: vscode.TreeItem, kind: string, job: ShownJob): void {
  item.contextValue = `${kind}.${job.status.charAt(0).toLowerCase()}${job.status.slice(1)}`;
  item.iconPath = JOB_STATUS_ICONS[job.status] ?? new vscode.ThemeIcon('circle-outline');
  item.description = job.createdAt ? `${job.status} · ${relativeTime(job.createdAt)}` : job.status;
}
