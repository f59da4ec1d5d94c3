// Training Jobs view: newest first, with status icons; polls while a job is active and the view
// is visible, and only then.
import * as vscode from 'vscode';
import { isActive, listTrainingJobs, type TrainingJobSummary } from '../pipeline/trainingJobs';
import { relativeTime } from '../format';
import { everyMs } from '../polling/schedules';
import { ResourceTree } from './resourceTree';
import type { Services } from '../services';

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  InProgress: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  Completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  Stopping: new vscode.ThemeIcon('loading~spin'),
  Stopped: new vscode.ThemeIcon('debug-stop'),
};

export class TrainingJobTreeItem extends vscode.TreeItem {
  constructor(readonly job: TrainingJobSummary) {
    super(job.name, vscode.TreeItemCollapsibleState.None);
    this.id = job.arn;
    // e.g. trainingJob.inProgress — package.json menus match /^trainingJob\./
    this.contextValue = `trainingJob.${job.status.charAt(0).toLowerCase()}${job.status.slice(1)}`;
    this.iconPath = STATUS_ICONS[job.status] ?? new vscode.ThemeIcon('circle-outline');
    this.description = job.createdAt ? `${job.status} · ${relativeTime(job.createdAt)}` : job.status;
    this.tooltip = new vscode.MarkdownString(
      [
        `**${job.name}**`,
        `Status: ${job.status}`,
        job.createdAt && `Created: ${job.createdAt.toLocaleString()}`,
        job.endedAt && `Ended: ${job.endedAt.toLocaleString()}`,
        `ARN: \`${job.arn}\``,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    this.command = { command: 'sagemaker.trainingJob.open', title: 'Open Training Job', arguments: [this] };
  }
}

export class TrainingJobsTree extends ResourceTree {
  constructor(services: Services) {
    super(services, 'training jobs', everyMs(5000));
  }

  protected override get refreshCommand(): vscode.Command {
    return { command: 'sagemaker.trainingJobs.refresh', title: 'Retry' };
  }

  protected async rootPage(token?: string) {
    const page = await listTrainingJobs(await this.connection.clients.sageMaker(), token);
    return { items: page.jobs.map((job) => new TrainingJobTreeItem(job)), nextToken: page.nextToken };
  }

  protected childrenOf() {
    return undefined;
  }

  /** Jobs are top-level items: what `reveal` needs to select one. */
  getParent(): undefined {
    return undefined;
  }

  protected override isInProgress(item: vscode.TreeItem): boolean {
    return item instanceof TrainingJobTreeItem && isActive(item.job.status);
  }
}
