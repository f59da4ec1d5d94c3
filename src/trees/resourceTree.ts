// What every resource view shares: loading through the connection, turning failures into an error
// node, paging with "Load More", and one refresh.
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
import { ErrorTreeItem, LoadMoreTreeItem, PagedChildren } from './nodes';

export abstract class ResourceTree implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.TreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private root: PagedChildren<vscode.TreeItem> | undefined;
  protected readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    protected readonly connection: Connection,
    /** What the root lists, for messages: "datasets", "training jobs". */
    private readonly what: string,
  ) {
    this.disposables.push(connection.onDidChange(() => this.refresh()));
  }

  /** The first page of the root (the view's top level); called again for "Load More". */
  protected abstract rootPage(token?: string): Promise<{ items: vscode.TreeItem[]; nextToken?: string }>;

  /** Children of an expandable node; nodes own their paging. */
  protected abstract childrenOf(element: vscode.TreeItem): PagedChildren<vscode.TreeItem> | undefined;

  /** Called after the root loaded, e.g. to poll while something is in progress. */
  protected onRootLoaded(_items: readonly vscode.TreeItem[]): void {}

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
    this.root = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
