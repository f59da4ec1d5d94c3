// Batch Transform Jobs view: the region's transform jobs newest first with status icons (the
// failure reason in the tooltip); a job expands to its `.out` objects, each opened with Open Output.
// Polls while a job is in progress and the view is visible.
import * as vscode from 'vscode';
import { formatBytes } from '../format';
import { isTransformActive, listOutputObjects, listTransformJobs, transformOutputUri, type OutputObject, type TransformJobSummary } from '../pipeline/batchTransform';
import { DetailTreeItem, PagedChildren } from './nodes';
import { everyMs } from '../polling/schedules';
import type { Services } from '../services';
import { showJobStatus } from './jobStatus';
import { ResourceTree } from './resourceTree';
import { markdownTooltip } from './tooltips';

export class TransformJobTreeItem extends vscode.TreeItem {
  readonly outputs: PagedChildren<vscode.TreeItem>;

  constructor(readonly job: TransformJobSummary, tree: TransformJobsTree) {
    super(job.name, job.status === 'Completed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = job.arn;
    showJobStatus(this, 'transformJob', job);
    this.tooltip = markdownTooltip(job.name, [
      `Status: ${job.status}`,
      job.failureReason && `Failure reason: ${job.failureReason}`,
      job.createdAt && `Created: ${job.createdAt.toLocaleString()}`,
      job.endedAt && `Ended: ${job.endedAt.toLocaleString()}`,
      `ARN: ${job.arn}`,
    ]);
    this.outputs = new PagedChildren(async (token) => {
      const outputUri = await transformOutputUri(await tree.sageMaker(), job.name);
      if (!outputUri) return { items: [] };
      const page = await listOutputObjects(await tree.s3(), outputUri, token);
      if (page.items.length === 0 && !token) return { items: [new DetailTreeItem(`No .out objects under ${outputUri}`, 'info')] };
      return { items: page.items.map((object) => new TransformOutputTreeItem(object, outputUri)), nextToken: page.nextToken };
    });
  }
}

export class TransformOutputTreeItem extends vscode.TreeItem {
  constructor(
    readonly object: OutputObject,
    outputUri: string,
  ) {
    // Relative to the output prefix, as the job named it: `prompts.jsonl.out`.
    super(`s3://${object.bucket}/${object.key}`.slice(outputUri.replace(/\/?$/, '/').length) || object.key, vscode.TreeItemCollapsibleState.None);
    this.id = `s3://${object.bucket}/${object.key}`;
    this.contextValue = 'transformOutput';
    this.iconPath = vscode.ThemeIcon.File;
    this.description = formatBytes(object.size);
    this.tooltip = this.id;
    this.command = { command: 'sagemaker.transformOutput.open', title: 'Open Output', arguments: [this] };
  }
}

export class TransformJobsTree extends ResourceTree {
  constructor(services: Services) {
    super(services, 'batch transform jobs', 'sagemaker.transformJobs.refresh', everyMs(3000));
  }

  protected async rootPage(token?: string) {
    const page = await listTransformJobs(await this.sageMaker(), { nextToken: token });
    return { items: page.items.map((job) => new TransformJobTreeItem(job, this)), nextToken: page.nextToken };
  }

  protected childrenOf(element: vscode.TreeItem) {
    return element instanceof TransformJobTreeItem ? element.outputs : undefined;
  }

  protected override isInProgress(item: vscode.TreeItem): boolean {
    return item instanceof TransformJobTreeItem && isTransformActive(item.job.status);
  }
}
