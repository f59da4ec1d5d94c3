// What every resource view shares: loading through the connection, turning failures into an error
// node, paging with "Load More", one refresh, and polling while something is in progress and the
// view is visible, and only then.
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
import { ErrorTreeItem, LoadMoreTreeItem, PagedChildren } from './nodes';
import type { PollSchedule } from './polling';

export abstract class ResourceTree implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.TreeItem | vscode.TreeItem[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private root: PagedChildren<vscode.TreeItem> | undefined;
  protected readonly disposables: vscode.Disposable[] = [this.changed];
  private pollTimer: NodeJS.Timeout | undefined;
  /** Polls since the last refresh that was not a poll. */
  private polls = 0;
  private visible = false;

  constructor(
    protected readonly connection: Connection,
    /** What the root lists, for messages: "datasets", "training jobs". */
    private readonly what: string,
    /** How often to re-read the root while `isInProgress` holds for one of its items. */
    private readonly pollSchedule?: PollSchedule,
  ) {
    this.disposables.push(connection.onDidChange(() => this.refresh()), { dispose: () => this.stopPolling() });
  }

  /** The first page of the root (the view's top level); called again for "Load More". */
  protected abstract rootPage(token?: string): Promise<{ items: vscode.TreeItem[]; nextToken?: string }>;

  /** Children of an expandable node; nodes own their paging. */
  protected abstract childrenOf(element: vscode.TreeItem): PagedChildren<vscode.TreeItem> | undefined;

  /** Whether a root item is still changing, so that the view polls. */
  protected isInProgress(_item: vscode.TreeItem): boolean {
    return false;
  }

  /** Polling runs only while the view is on screen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      this.stopPolling();
    }
  }

  /** Called whenever the root is read (from cache too): keeps one poll pending while something changes. */
  private onRootLoaded(items: readonly vscode.TreeItem[]): void {
    if (!this.visible || !this.pollSchedule || !items.some((item) => this.isInProgress(item))) {
      this.stopPolling();
      return;
    }
    if (this.pollTimer) {
      return; // a read of the cached root must not push the pending poll back
    }
    const delay = this.pollSchedule(this.polls);
    if (delay !== undefined) {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        this.polls++;
        void this.poll();
      }, delay);
    }
  }

  private stopPolling(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    const paged = element ? this.childrenOf(element) : (this.root ??= new PagedChildren((token) => this.rootPage(token)));
    if (!paged) {
      return [];
    }
    try {
      const items = await paged.all();
      this.connection.setState('connected');
      if (!element) {
        this.onRootLoaded(items);
      }
      return paged.hasMore ? [...items, new LoadMoreTreeItem(() => this.loadMore(paged, element))] : [...items];
    } catch (error) {
      if (paged === this.root) {
        this.root = undefined; // retry on the next refresh
      }
      const kind = classifyFailure(error).kind;
      this.connection.setState(kind === 'settings' ? 'invalidSettings' : kind === 'unreachable' ? 'unreachable' : 'connected');
      const settings = 'settings' in this.connection.inspect() ? this.connection.settings : undefined;
      return [new ErrorTreeItem(error, settings, this.what)];
    }
  }

  private async loadMore(paged: PagedChildren<vscode.TreeItem>, parent: vscode.TreeItem | undefined): Promise<void> {
    await paged.loadMore();
    this.changed.fire(parent);
  }

  refresh(): void {
    this.polls = 0;
    this.stopPolling();
    this.reload();
  }

  private reload(): void {
    this.root = undefined;
    this.changed.fire(undefined);
  }

  /**
   * Re-reads the root and updates the items in place when the same resources come back in the same
   * order: only changed items are redrawn, and every item keeps its identity. Replacing the items
   * would make VS Code drop them, and a context-menu command picked meanwhile would get none.
   */
  private async poll(): Promise<void> {
    const shown = this.root;
    const fresh = new PagedChildren((token) => this.rootPage(token));
    let items: vscode.TreeItem[];
    try {
      items = await fresh.all();
    } catch {
      this.reload(); // getChildren reads again and shows the failure as an error node
      return;
    }
    if (shown !== this.root) return; // refreshed meanwhile: that read wins
    // The same first page with the same "Load More" (or none): the shown root stays, paging included.
    const before = shown && shown.hasMore === fresh.hasMore ? await shown.all().catch(() => undefined) : undefined;
    if (!before || before.length !== items.length || before.some((item, index) => item.id === undefined || item.id !== items[index].id)) {
      this.root = fresh;
      this.changed.fire(undefined);
      return;
    }
    const changed: vscode.TreeItem[] = [];
    for (const [index, item] of before.entries()) {
      if (shownAs(item) === shownAs(items[index])) continue;
      Object.assign(item, items[index]);
      changed.push(item);
    }
    if (changed.length > 0) this.changed.fire(changed);
    this.onRootLoaded(before);
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}

/** What the view shows of an item. */
function shownAs(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : item.label?.label;
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '';
  return JSON.stringify([label, item.description, item.contextValue, tooltip, icon]);
}
