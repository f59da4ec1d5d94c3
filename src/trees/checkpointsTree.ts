// Checkpoints view: the checkpoints of one training job (the one selected in Training Jobs, or
// picked), read from its CheckpointConfig.S3Uri and grouped by step (pipeline/checkpoints.ts), newest
// first with the latest marked; each expands to its files. Re-read while the job runs and the view
// is visible.
import * as vscode from 'vscode';
import { LAYOUT_NAMES, groupCheckpoints, type Checkpoint } from '../pipeline/checkpoints';
import { listAllObjects, parseS3Uri, type DatasetObject } from '../pipeline/datasets';
import { describeTrainingJob, isActive, type TrainingJobDescription } from '../pipeline/trainingJobs';
import { formatBytes, relativeTime } from '../format';
import { PagedChildren } from './nodes';
import { everyMs } from '../polling/schedules';
import type { Services } from '../services';
import { ResourceTree } from './resourceTree';

export class CheckpointTreeItem extends vscode.TreeItem {
  readonly files: PagedChildren<vscode.TreeItem>;

  constructor(
    readonly job: TrainingJobDescription,
    readonly checkpoint: Checkpoint,
    /** The checkpoint location's key prefix (ending with `/`). */
    readonly prefix: string,
    jobActive: boolean,
  ) {
    super(checkpoint.epoch !== undefined ? `${checkpoint.label} (epoch ${checkpoint.epoch})` : checkpoint.label, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `checkpoint:${job.TrainingJobArn}:${checkpoint.id}`;
    this.contextValue = jobActive ? 'checkpoint.jobActive' : 'checkpoint';
    this.iconPath = checkpoint.latest ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('history');
    this.description = [formatBytes(checkpoint.size), checkpoint.lastModified && relativeTime(checkpoint.lastModified), checkpoint.latest && 'latest']
      .filter(Boolean)
      .join(' · ');
    this.tooltip = new vscode.MarkdownString(
      [
        `**${checkpoint.label}** of ${job.TrainingJobName}${checkpoint.latest ? ' — the latest' : ''}`,
        `${checkpoint.objects.length} file${checkpoint.objects.length === 1 ? '' : 's'}, ${formatBytes(checkpoint.size)}${checkpoint.lastModified ? `, written ${checkpoint.lastModified.toLocaleString()}` : ''}`,
        `Layout: ${LAYOUT_NAMES[checkpoint.layout]}`,
      ].join('\n\n'),
    );
    this.files = new PagedChildren(async () => ({
      items: checkpoint.objects.map((object) => new CheckpointFileTreeItem(object, prefix)),
    }));
  }
}

export class CheckpointFileTreeItem extends vscode.TreeItem {
  constructor(readonly object: DatasetObject, prefix: string) {
    super(object.key.slice(prefix.length), vscode.TreeItemCollapsibleState.None);
    this.id = `checkpoint-file:s3://${object.bucket}/${object.key}`;
    this.contextValue = 'checkpointFile';
    this.iconPath = vscode.ThemeIcon.File;
    this.description = formatBytes(object.size);
    this.tooltip = `s3://${object.bucket}/${object.key}`;
  }
}

/** A line in place of checkpoints: none yet, no checkpoint location. */
class NoticeTreeItem extends vscode.TreeItem {
  constructor(label: string, readonly jobActive: boolean, tooltip?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'notice';
    this.iconPath = new vscode.ThemeIcon(jobActive ? 'loading~spin' : 'info');
    this.tooltip = tooltip;
  }
}

export class CheckpointsTree extends ResourceTree {
  private jobName: string | undefined;
  private readonly jobChanged = new vscode.EventEmitter<string | undefined>();
  /** The job shown changed (the view's description says which). */
  readonly onDidChangeJob = this.jobChanged.event;

  constructor(services: Services) {
    super(services, 'checkpoints', undefined, everyMs(5000));
    this.disposables.push(this.jobChanged);
  }

  get job(): string | undefined {
    return this.jobName;
  }

  /** Shows the checkpoints of `name` (undefined: none). */
  showJob(name: string | undefined): void {
    if (name === this.jobName) return;
    this.jobName = name;
    this.jobChanged.fire(name);
    this.refresh();
  }

  protected async rootPage() {
    const name = this.jobName;
    if (!name) return { items: [] };
    const job = await describeTrainingJob(await this.sageMaker(), name);
    const active = job.TrainingJobStatus !== undefined && isActive(job.TrainingJobStatus);
    const uri = job.CheckpointConfig?.S3Uri;
    const location = uri ? parseS3Uri(uri) : undefined;
    if (!location) {
      return { items: [new NoticeTreeItem(`${name} saves no checkpoints to S3`, false, 'Its request has no CheckpointConfig.S3Uri: SageMaker copies nothing from /opt/ml/checkpoints.')] };
    }
    const prefix = location.key === '' || location.key.endsWith('/') ? location.key : `${location.key}/`;
    const objects: DatasetObject[] = [];
    for await (const page of listAllObjects(await this.s3(), location.bucket, prefix)) objects.push(...page);
    const { checkpoints } = groupCheckpoints(objects, prefix);
    if (checkpoints.length === 0) {
      return { items: [new NoticeTreeItem(active ? `No checkpoints yet in ${uri}` : `No checkpoints in ${uri}`, active)] };
    }
    return { items: checkpoints.map((checkpoint) => new CheckpointTreeItem(job, checkpoint, prefix, active)) };
  }

  protected childrenOf(element: vscode.TreeItem) {
    return element instanceof CheckpointTreeItem ? element.files : undefined;
  }

  protected override isInProgress(item: vscode.TreeItem): boolean {
    return (item instanceof CheckpointTreeItem && item.contextValue === 'checkpoint.jobActive') || (item instanceof NoticeTreeItem && item.jobActive);
  }
}
