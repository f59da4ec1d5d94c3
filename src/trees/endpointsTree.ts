// Endpoints view: real-time endpoints newest first with status icons, each expanding to its
// production variants (instances, weight, model); polls while one is being created, updated or
// deleted and the view is visible.
import * as vscode from 'vscode';
import { isInProgress, listEndpoints, listVariants, type EndpointSummary, type VariantSummary } from '../pipeline/endpoints';
import { relativeTime } from '../format';
import { PagedChildren } from './nodes';
import { backoff } from '../polling/schedules';
import { ResourceTree } from './resourceTree';
import type { Services } from '../workbench';

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  Creating: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  Updating: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  SystemUpdating: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  RollingBack: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow')),
  InService: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Deleting: new vscode.ThemeIcon('loading~spin'),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  UpdateRollbackFailed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  OutOfService: new vscode.ThemeIcon('circle-slash'),
};

export class EndpointTreeItem extends vscode.TreeItem {
  readonly variants: PagedChildren<vscode.TreeItem>;

  constructor(readonly endpoint: EndpointSummary, tree: EndpointsTree) {
    super(endpoint.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = endpoint.arn;
    // e.g. endpoint.inService — package.json menus match it (Open Chat only when InService)
    this.contextValue = `endpoint.${endpoint.status.charAt(0).toLowerCase()}${endpoint.status.slice(1)}`;
    this.iconPath = STATUS_ICONS[endpoint.status] ?? new vscode.ThemeIcon('circle-outline');
    const changedAt = endpoint.modifiedAt ?? endpoint.createdAt;
    this.description = changedAt ? `${endpoint.status} · ${relativeTime(changedAt)}` : endpoint.status;
    this.tooltip = markdownTooltip(endpoint.name, [
      `Status: ${endpoint.status}`,
      endpoint.failureReason && `Failure reason: ${endpoint.failureReason}`,
      endpoint.createdAt && `Created: ${endpoint.createdAt.toLocaleString()}`,
      endpoint.modifiedAt && `Modified: ${endpoint.modifiedAt.toLocaleString()}`,
      `ARN: ${endpoint.arn}`,
    ]);
    this.variants = new PagedChildren(async () => ({
      items: (await listVariants(await tree.sageMaker(), endpoint.name)).map((variant) => new VariantTreeItem(endpoint, variant)),
    }));
  }
}

export class VariantTreeItem extends vscode.TreeItem {
  constructor(endpoint: EndpointSummary, readonly variant: VariantSummary) {
    super(variant.name, vscode.TreeItemCollapsibleState.None);
    this.id = `${endpoint.arn}/${variant.name}`;
    this.contextValue = 'endpointVariant';
    this.iconPath = new vscode.ThemeIcon('server-process');
    this.description = [variant.modelName, instancesLabel(variant), variant.currentWeight !== undefined && `weight ${variant.currentWeight}`]
      .filter(Boolean)
      .join(' · ');
    this.tooltip = markdownTooltip(variant.name, [
      `Model: ${variant.modelName ?? 'unknown (its endpoint configuration was deleted)'}`,
      variant.instanceType && `Instance type: ${variant.instanceType}`,
      `Instances: ${count(variant.currentInstanceCount)} current, ${count(variant.desiredInstanceCount)} desired`,
      `Weight: ${count(variant.currentWeight)} current, ${count(variant.desiredWeight)} desired`,
      ...variant.statusMessages,
    ]);
  }
}

/** "1/2 × ml.m5.large": current of desired instances, as the console shows a scaling variant. */
function instancesLabel(variant: VariantSummary): string {
  const counts =
    variant.currentInstanceCount === undefined ? `${count(variant.desiredInstanceCount)}` : `${variant.currentInstanceCount}/${count(variant.desiredInstanceCount)}`;
  return variant.instanceType ? `${counts} × ${variant.instanceType}` : `${counts} instances`;
}

function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

/** A bold title, then one paragraph per line; text from the service is escaped, never markup. */
function markdownTooltip(title: string, lines: (string | false | undefined)[]): vscode.MarkdownString {
  return new vscode.MarkdownString([`**${escapeMarkdown(title)}**`, ...lines.filter((line): line is string => Boolean(line)).map(escapeMarkdown)].join('\n\n'));
}

/** Backslash-escapes markdown's punctuation (MarkdownString.appendText would also stop lines wrapping). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

export class EndpointsTree extends ResourceTree {
  constructor(services: Services) {
    // 2 s, 3 s, 4.5 s … up to 15 s between reads; about an hour in all.
    super(services, 'endpoints', backoff({ firstMs: 2000, factor: 1.5, maxMs: 15_000, maxPolls: 240 }));
  }

  sageMaker() {
    return this.connection.clients.sageMaker();
  }

  protected override get refreshCommand(): vscode.Command {
    return { command: 'sagemaker.endpoints.refresh', title: 'Retry' };
  }

  protected async rootPage(token?: string) {
    const page = await listEndpoints(await this.sageMaker(), { nextToken: token });
    return { items: page.endpoints.map((endpoint) => new EndpointTreeItem(endpoint, this)), nextToken: page.nextToken };
  }

  protected childrenOf(element: vscode.TreeItem) {
    return element instanceof EndpointTreeItem ? element.variants : undefined;
  }

  protected override isInProgress(item: vscode.TreeItem): boolean {
    return item instanceof EndpointTreeItem && isInProgress(item.endpoint.status);
  }
}
