// Models view: the model registry's groups, newest first, each expanding to its versions newest
// first (paged), each version with its approval, status, age and source training job; expanding a
// version shows its model metrics (the model quality report registered with it).
import * as vscode from 'vscode';
import { relativeTime } from '../format';
import {
  describeModelVersion,
  listModelGroups,
  listModelVersions,
  readModelMetrics,
  sourceTrainingJob,
  type ModelGroupSummary,
  type ModelVersionDescription,
  type ModelVersionSummary,
} from '../pipeline/registry';
import { DetailTreeItem, PagedChildren } from './nodes';
import type { Services } from '../services';
import { ResourceTree } from './resourceTree';
import { markdownTooltip } from './tooltips';

const APPROVAL_ICONS: Record<string, vscode.ThemeIcon> = {
  Approved: new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('testing.iconPassed')),
  Rejected: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconFailed')),
  PendingManualApproval: new vscode.ThemeIcon('question', new vscode.ThemeColor('charts.yellow')),
};

/** "Pending approval" reads better than the enum in a one-line description. */
const APPROVAL_LABELS: Record<string, string> = { Approved: 'Approved', Rejected: 'Rejected', PendingManualApproval: 'Pending approval' };

export class ModelGroupTreeItem extends vscode.TreeItem {
  readonly versions: PagedChildren<vscode.TreeItem>;

  constructor(readonly group: ModelGroupSummary, tree: ModelsTree) {
    super(group.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = group.arn;
    this.contextValue = 'modelGroup';
    this.iconPath = new vscode.ThemeIcon('versions');
    this.description = group.createdAt ? relativeTime(group.createdAt) : undefined;
    this.tooltip = markdownTooltip(group.name, [group.description, group.createdAt && `Created: ${group.createdAt.toLocaleString()}`, `ARN: ${group.arn}`]);
    this.versions = new PagedChildren(async (token) => {
      const sageMaker = await tree.sageMaker();
      const page = await listModelVersions(sageMaker, group.name, { nextToken: token });
      // The source job and what serves it are only in DescribeModelPackage: one per version of the page.
      const described = await Promise.all(page.items.map((version) => describeModelVersion(sageMaker, version.arn).catch(() => undefined)));
      return { items: page.items.map((version, index) => new ModelVersionTreeItem(version, described[index], tree)), nextToken: page.nextToken };
    });
  }
}

export class ModelVersionTreeItem extends vscode.TreeItem {
  readonly metrics: PagedChildren<vscode.TreeItem>;

  constructor(
    readonly version: ModelVersionSummary,
    readonly details: ModelVersionDescription | undefined,
    tree: ModelsTree,
  ) {
    super(`v${version.version}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = version.arn;
    // e.g. modelVersion.approved — package.json menus: Deploy on approved ones, Approve on the others
    this.contextValue = `modelVersion.${version.approval.charAt(0).toLowerCase()}${version.approval.slice(1)}`;
    this.iconPath = APPROVAL_ICONS[version.approval] ?? new vscode.ThemeIcon('package');
    const job = details && sourceTrainingJob(details);
    const container = details?.InferenceSpecification?.Containers?.[0];
    this.description = [
      APPROVAL_LABELS[version.approval] ?? version.approval,
      version.status !== 'Completed' && version.status,
      version.createdAt && relativeTime(version.createdAt),
      job && `from ${job}`,
    ]
      .filter(Boolean)
      .join(' · ');
    this.tooltip = markdownTooltip(`${version.group} v${version.version}`, [
      `Approval: ${version.approval}`,
      details?.ApprovalDescription && `Approval note: ${details.ApprovalDescription}`,
      `Status: ${version.status}`,
      version.description,
      version.createdAt && `Created: ${version.createdAt.toLocaleString()}`,
      job && `Training job: ${job}`,
      container?.Image && `Image: ${container.Image}`,
      container?.ModelDataUrl && `Model data: ${container.ModelDataUrl}`,
      details?.InferenceSpecification?.SupportedContentTypes?.length && `Content types: ${details.InferenceSpecification.SupportedContentTypes.join(', ')}`,
      `ARN: ${version.arn}`,
    ]);
    this.metrics = new PagedChildren(async () => {
      const metrics = details ? await readModelMetrics(await tree.s3(), details) : [];
      if (metrics.length === 0) return { items: [new DetailTreeItem('No model metrics', 'info')] };
      return { items: metrics.map((metric) => new DetailTreeItem(metric.name, 'graph-line', formatMetric(metric.value))) };
    });
  }
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(5).replace(/\.?0+$/, '');
}

export class ModelsTree extends ResourceTree {
  constructor(services: Services) {
    super(services, 'models', 'sagemaker.models.refresh');
  }

  protected async rootPage(token?: string) {
    const page = await listModelGroups(await this.sageMaker(), { nextToken: token });
    return { items: page.items.map((group) => new ModelGroupTreeItem(group, this)), nextToken: page.nextToken };
  }

  protected childrenOf(element: vscode.TreeItem) {
    if (element instanceof ModelGroupTreeItem) return element.versions;
    if (element instanceof ModelVersionTreeItem) return element.metrics;
    return undefined;
  }
}
