// Endpoints view: real-time endpoints newest first with status icons and what each InService one
// costs per hour (the region's total in the view's description), each expanding to its production
// variants — the model version they serve, current/desired instances × type, the autoscaling policy
// in the tooltip, and the last hour's scaling activities as children. Polls while an endpoint is
// being created, updated or deleted, or autoscales, and the view is visible.
import * as vscode from 'vscode';
import { describeScaling, describeVariantScaling, recentScalingActivities, autoscaledVariants, type ScalingActivitySummary } from '../pipeline/autoscaling';
import { FleetReader, type Fleet, type FleetVariant } from '../pipeline/endpointFleet';
import { isInProgress, listEndpoints, type EndpointSummary } from '../pipeline/endpoints';
import { formatCost, totalCost, type Cost } from '../pipeline/pricing';
import { versionLabel } from '../pipeline/registry';
import { priceOverrides } from '../pricingSettings';
import { relativeTime } from '../format';
import { PagedChildren } from './nodes';
import { backoff } from '../polling/schedules';
import { ResourceTree } from './resourceTree';
import { markdownTooltip } from './tooltips';
import type { Services } from '../services';

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

/** Scaling activities this recent are shown under their variant. */
const RECENT_ACTIVITY_MS = 60 * 60 * 1000;

export class EndpointTreeItem extends vscode.TreeItem {
  readonly variants: PagedChildren<vscode.TreeItem>;

  constructor(
    readonly endpoint: EndpointSummary,
    /** What it runs, read with the list for endpoints that have instances (the cost needs it). */
    readonly fleet: Fleet | undefined,
    tree: EndpointsTree,
  ) {
    super(endpoint.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = endpoint.arn;
    // e.g. endpoint.inService — package.json menus match it (Open Chat only when InService)
    this.contextValue = `endpoint.${endpoint.status.charAt(0).toLowerCase()}${endpoint.status.slice(1)}`;
    this.iconPath = STATUS_ICONS[endpoint.status] ?? new vscode.ThemeIcon('circle-outline');
    const changedAt = endpoint.modifiedAt ?? endpoint.createdAt;
    const cost = endpoint.status === 'InService' && fleet ? formatCost(fleet.cost) : undefined;
    const failureReason = endpoint.failureReason ?? fleet?.failureReason;
    this.description = [endpoint.status, cost, changedAt && relativeTime(changedAt)].filter(Boolean).join(' · ');
    this.tooltip = markdownTooltip(endpoint.name, [
      `Status: ${endpoint.status}`,
      failureReason && `${endpoint.status === 'InService' ? 'Last update failed and was rolled back' : 'Failure reason'}: ${failureReason}`,
      cost && `Cost: ${cost} on demand, while it runs`,
      fleet?.configName && `Endpoint configuration: ${fleet.configName}`,
      endpoint.createdAt && `Created: ${endpoint.createdAt.toLocaleString()}`,
      endpoint.modifiedAt && `Modified: ${endpoint.modifiedAt.toLocaleString()}`,
      `ARN: ${endpoint.arn}`,
    ]);
    this.variants = new PagedChildren(async () => {
      const current = fleet ?? (await tree.fleetOf(endpoint.name));
      return { items: await Promise.all(current.variants.map((variant) => VariantTreeItem.load(endpoint, variant, tree))) };
    });
  }
}

export class VariantTreeItem extends vscode.TreeItem {
  readonly activities: PagedChildren<vscode.TreeItem>;
  readonly endpointName: string;

  /** The variant with its autoscaling policy and the last hour's scaling activities, if it autoscales. */
  static async load(endpoint: EndpointSummary, variant: FleetVariant, tree: EndpointsTree): Promise<VariantTreeItem> {
    if (!variant.autoscaled) return new VariantTreeItem(endpoint, variant, undefined, []);
    const autoscaling = await tree.autoscaling();
    const [scaling, activities] = await Promise.all([
      describeVariantScaling(autoscaling, endpoint.name, variant.name),
      recentScalingActivities(autoscaling, endpoint.name, variant.name, new Date(Date.now() - RECENT_ACTIVITY_MS)),
    ]);
    return new VariantTreeItem(endpoint, variant, scaling && describeScaling(scaling), activities);
  }

  constructor(
    endpoint: EndpointSummary,
    readonly variant: FleetVariant,
    /** The autoscaling bounds and policy in words, if it autoscales. */
    readonly scaling: string | undefined,
    activities: ScalingActivitySummary[],
  ) {
    super(variant.name, activities.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `${endpoint.arn}/${variant.name}`;
    this.endpointName = endpoint.name;
    this.contextValue = variant.autoscaled ? 'endpointVariant.autoscaled' : 'endpointVariant.fixed';
    this.iconPath = new vscode.ThemeIcon(variant.autoscaled ? 'dashboard' : 'server-process');
    const version = variant.modelVersion?.version === undefined ? undefined : versionLabel({ group: variant.modelVersion.group, version: variant.modelVersion.version });
    this.description = [version ?? variant.modelName, instancesLabel(variant), variant.currentWeight !== undefined && `weight ${variant.currentWeight}`].filter(Boolean).join(' · ');
    this.tooltip = markdownTooltip(variant.name, [
      version && `Model version: ${version}`,
      `Model: ${variant.modelName ?? 'unknown (its endpoint configuration was deleted)'}`,
      variant.instanceType && `Instance type: ${variant.instanceType}`,
      `Instances: ${count(variant.currentInstanceCount)} current, ${count(variant.desiredInstanceCount)} desired`,
      `Weight: ${count(variant.currentWeight)} current, ${count(variant.desiredWeight)} desired`,
      `Autoscaling: ${scaling ?? 'none (a fixed instance count)'}`,
      ...variant.statusMessages,
    ]);
    this.activities = new PagedChildren(async () => ({ items: activities.map((activity) => new ScalingActivityTreeItem(this.id!, activity)) }));
  }

}

export class ScalingActivityTreeItem extends vscode.TreeItem {
  constructor(variantId: string, readonly activity: ScalingActivitySummary) {
    super(activity.description || 'Scaling activity', vscode.TreeItemCollapsibleState.None);
    this.id = `${variantId}/activity/${activity.id}`;
    this.contextValue = 'scalingActivity';
    this.iconPath = new vscode.ThemeIcon(activity.status === 'Successful' ? 'arrow-swap' : activity.status === 'Failed' ? 'warning' : 'loading~spin');
    this.description = [activity.status, activity.startedAt && relativeTime(activity.startedAt)].filter(Boolean).join(' · ');
    this.tooltip = markdownTooltip(activity.description, [
      `Status: ${activity.status}`,
      activity.statusMessage,
      activity.cause && `Cause: ${activity.cause}`,
      activity.startedAt && `Started: ${activity.startedAt.toLocaleString()}`,
      activity.endedAt && `Ended: ${activity.endedAt.toLocaleString()}`,
    ]);
  }
}

/** "1/2 × ml.m5.large": current of desired instances, as the console shows a scaling variant. */
function instancesLabel(variant: FleetVariant): string {
  const counts =
    variant.currentInstanceCount === undefined ? `${count(variant.desiredInstanceCount)}` : `${variant.currentInstanceCount}/${count(variant.desiredInstanceCount)}`;
  return variant.instanceType ? `${counts} × ${variant.instanceType}` : `${counts} instances`;
}

function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

/** Endpoints whose instances cost money or may change: their fleet is read with the list. */
const WITH_INSTANCES: ReadonlySet<string> = new Set(['InService', 'Updating', 'SystemUpdating', 'RollingBack']);

export class EndpointsTree extends ResourceTree {
  private readonly costChanged = new vscode.EventEmitter<string | undefined>();
  /** The region's total cost per hour, for the view's description; undefined when nothing runs. */
  readonly onDidChangeCost = this.costChanged.event;
  private fleets: FleetReader | undefined;

  constructor(services: Services) {
    // 2 s, 3 s, 4.5 s … up to 15 s between reads; about an hour in all.
    super(services, 'endpoints', 'sagemaker.endpoints.refresh', backoff({ firstMs: 2000, factor: 1.5, maxMs: 15_000, maxPolls: 240 }));
    this.disposables.push(this.costChanged, services.connection.onDidChange(() => (this.fleets = undefined)));
  }

  autoscaling() {
    return this.connection.clients.autoscaling();
  }

  private async reader(): Promise<FleetReader> {
    this.fleets ??= new FleetReader(await this.sageMaker());
    return this.fleets;
  }

  /** What an endpoint runs now, with its cost (the Delete confirmation says it). */
  async fleetOf(endpointName: string, autoscaled?: ReadonlySet<string>): Promise<Fleet> {
    const reader = await this.reader();
    return reader.fleet(endpointName, this.connection.settings.region, priceOverrides(), autoscaled ?? (await autoscaledVariants(await this.autoscaling())));
  }

  protected async rootPage(token?: string) {
    const page = await listEndpoints(await this.sageMaker(), { nextToken: token });
    const withInstances = page.endpoints.filter((endpoint) => WITH_INSTANCES.has(endpoint.status));
    const autoscaled = withInstances.length > 0 ? await autoscaledVariants(await this.autoscaling()) : new Set<string>();
    const fleets = new Map(
      await Promise.all(withInstances.map(async (endpoint) => [endpoint.name, await this.fleetOf(endpoint.name, autoscaled).catch(() => undefined)] as const)),
    );
    const items = page.endpoints.map((endpoint) => new EndpointTreeItem(endpoint, fleets.get(endpoint.name), this));
    if (!token) this.reportCost(items);
    return { items, nextToken: page.nextToken };
  }

  /**
   * Shows an endpoint's new status at once — a command following it has just read it — then reads
   * the view again for what else changed (instances, cost): the user sees InService when SageMaker
   * says so, not a read later.
   */
  async showStatus(endpoint: EndpointSummary): Promise<void> {
    const shown = (await this.getChildren()).find((item): item is EndpointTreeItem => item instanceof EndpointTreeItem && item.endpoint.name === endpoint.name);
    if (shown && shown.endpoint.status !== endpoint.status) {
      Object.assign(shown, new EndpointTreeItem({ ...shown.endpoint, ...endpoint }, shown.fleet, this));
      this.redraw([shown]);
    }
    this.refresh();
  }

  private reportCost(items: EndpointTreeItem[]): void {
    const costs: Cost[] = items.filter((item) => item.endpoint.status === 'InService' && item.fleet).map((item) => item.fleet!.cost);
    this.costChanged.fire(costs.length === 0 ? undefined : `${formatCost(totalCost(costs))} in ${this.connection.settings.region}`);
  }

  protected childrenOf(element: vscode.TreeItem) {
    if (element instanceof EndpointTreeItem) return element.variants;
    if (element instanceof VariantTreeItem) return element.activities;
    return undefined;
  }

  /** Still changing — or autoscaling, which changes it without a word: the view keeps reading it. */
  protected override isInProgress(item: vscode.TreeItem): boolean {
    return item instanceof EndpointTreeItem && (isInProgress(item.endpoint.status) || Boolean(item.fleet?.variants.some((variant) => variant.autoscaled)));
  }
}
