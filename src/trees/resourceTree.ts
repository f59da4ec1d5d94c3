// What every resource view shares: loading through the connection, turning failures into an error
// node with the next step, paging with "Load More", one refresh, and polling through the one poller
// while the view is visible — quickly while something is in progress, lightly otherwise, so that a
// job launched elsewhere appears and "2 min ago" stays true. When the connection goes down every
// view shows the same error node at once, and refreshes itself when it is back.
import * as vscode from 'vscode';
import type { ConnectionState } from '../connection/connection';
import type { Failure } from '../failures/classify';
import { IDLE_VIEW, type PollSchedule } from '../polling/schedules';
import type { PollWatch } from '../polling/poller';
import type { Services } from '../services';
import { ErrorTreeItem, LoadMoreTreeItem, PagedChildren } from './nodes';

export abstract class ResourceTree implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.TreeItem | vscode.TreeItem[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private root: PagedChildren<vscode.TreeItem> | undefined;
  protected readonly disposables: vscode.Disposable[] = [this.changed];
  private watch: PollWatch | undefined;
  /** Whether the watch runs on the in-progress schedule (else the idle one). */
  private watchingProgress = false;
  private visible = false;
  private lastState: ConnectionState;

  constructor(
    protected readonly services: Services,
    /** What the root lists, for messages: "datasets", "training jobs". */
    private readonly what: string,
    /** The view's own refresh command, the Retry of its error node. */
    private readonly refreshCommandId: string | undefined,
    /** How often to re-read the root while `isInProgress` holds for one of its items. */
    private readonly pollSchedule?: PollSchedule,
  ) {
    this.lastState = services.connection.state;
    this.disposables.push(
      services.connection.onDidChange(() => this.refresh()),
      services.connection.onDidChangeState((state) => this.onConnectionState(state)),
      { dispose: () => this.stopPolling() },
    );
  }

  protected get connection() {
    return this.services.connection;
  }

  /** The clients of the connection the view reads (commands on its items use the same). */
  sageMaker() {
    return this.connection.clients.sageMaker();
  }

  s3() {
    return this.connection.clients.s3();
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
    } else {
      this.startPolling(false);
    }
  }

  /** Down: every item is replaced by the error node at once. Back up: everything is read afresh. */
  private onConnectionState(state: ConnectionState): void {
    const before = this.lastState;
    this.lastState = state;
    if (state === 'unreachable' || state === 'invalidSettings') {
      this.reload();
    } else if (state === 'connected' && (before === 'unreachable' || before === 'invalidSettings')) {
      this.refresh();
    }
  }

  /** Called whenever the root is read (from cache too): polls quickly while something changes. */
  private onRootLoaded(items: readonly vscode.TreeItem[]): void {
    this.startPolling(Boolean(this.pollSchedule) && items.some((item) => this.isInProgress(item)));
  }

  private startPolling(inProgress: boolean): void {
    if (!this.visible) return;
    const schedule = inProgress && this.pollSchedule ? this.pollSchedule : IDLE_VIEW;
    if (!this.watch) {
      this.watch = this.services.poller.watch(`view/${this.what}`, () => this.poll(), () => undefined, schedule);
    } else if (inProgress !== this.watchingProgress) {
      this.watch.reschedule(schedule);
    }
    this.watchingProgress = inProgress;
  }

  private stopPolling(): void {
    this.watch?.dispose();
    this.watch = undefined;
    this.watchingProgress = false;
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    const down = this.services.failures.connectionFailure(`load ${this.what}`);
    if (down) {
      this.root = undefined; // read afresh once the connection is back
      return [this.errorNode(down)];
    }
    const paged = element ? this.childrenOf(element) : (this.root ??= new PagedChildren((token) => this.rootPage(token)));
    if (!paged) {
      return [];
    }
    try {
      const items = await paged.all();
      this.connection.report();
      if (!element) {
        this.onRootLoaded(items);
      }
      return paged.hasMore ? [...items, new LoadMoreTreeItem(() => this.loadMore(paged, element))] : [...items];
    } catch (error) {
      if (paged === this.root) {
        this.root = undefined; // retry on the next refresh
      }
      this.connection.report(error);
      return [this.errorNode(this.services.failures.classify(error, { doing: `load ${this.what}` }))];
    }
  }

  private errorNode(failure: Failure): ErrorTreeItem {
    return new ErrorTreeItem(failure, this.services.failures.command(failure.steps[0], failure, this.refreshCommandId ? { command: this.refreshCommandId, title: 'Retry' } : undefined));
  }

  private async loadMore(paged: PagedChildren<vscode.TreeItem>, parent: vscode.TreeItem | undefined): Promise<void> {
    await paged.loadMore();
    this.changed.fire(parent);
  }

  /** Redraws items a command changed in place, knowing their new state before the next read does. */
  protected redraw(items: vscode.TreeItem[]): void {
    this.changed.fire(items);
  }

  /**
   * Reads the root afresh. On screen, VS Code is told once the read is done: it forgets the shown items
   * when told and only then asks for the new ones, so a context-menu command picked while a read was
   * still going would get no item; told afterwards, it is answered at once. Anyone asking meanwhile (a
   * command revealing a new job) waits for this same read. Off screen, the root is read when asked.
   */
  refresh(): void {
    if (this.watchingProgress && this.pollSchedule) this.watch?.reschedule(this.pollSchedule); // quick again
    if (!this.visible) {
      this.reload();
      return;
    }
    const fresh = new PagedChildren((token) => this.rootPage(token));
    this.root = fresh;
    fresh.all().then(
      () => {
        if (this.root === fresh) this.changed.fire(undefined); // else a later refresh tells
      },
      (error: unknown) => {
        if (this.root === fresh) this.showFailure(error);
      },
    );
  }

  /** A failed read of the root, told: VS Code's next ask answers with it as the error node, without reading again. */
  private showFailure(error: unknown): void {
    this.root = new PagedChildren(() => Promise.reject(error));
    this.changed.fire(undefined);
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
    } catch (error) {
      this.connection.report(error);
      if (shown === this.root) this.showFailure(error); // else a refresh meanwhile tells its own read
      return;
    }
    this.connection.report();
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
