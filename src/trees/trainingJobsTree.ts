// Training Jobs view: newest first, with status icons; polls while a job is active and the view
// is visible, and only then.
import * as vscode from 'vscode';
import { isActive, listTrainingJobs, type TrainingJobSummary } from '../pipeline/trainingJobs';
import { everyMs } from '../polling/schedules';
import { showJobStatus } from './jobStatus';
import { ResourceTree } from './resourceTree';
import type { Services } from '../services';

export class TrainingJobTreeItem extends vscode.TreeItem {
  constructor(readonly job: TrainingJobSummary) {
    super(job.name, vscode.TreeItemCollapsibleState.None);
    this.id = job.arn;
    // e.g. trainingJob.inProgress — package.json menus match /^trainingJob\./
    showJobStatus(this, 'trainingJob', job);
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
    super(services, 'training jobs', 'sagemaker.trainingJobs.refresh', everyMs(5000));
  }

  protected async rootPage(token?: string) {
    const page = await listTrainingJobs(await this.sageMaker(), token);
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
