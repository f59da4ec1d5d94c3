// Tree nodes shared by every view: the error node with its next step, "Load More" for paging, and a
// leaf stating one fact.
import * as vscode from 'vscode';
import type { Failure } from '../failures/classify';

/** One page of children and how to fetch the next, kept per parent so paging survives expansion. */
export class PagedChildren<Item> {
  private items: Item[] = [];
  private nextToken: string | undefined;
  private loaded = false;
  private loading: Promise<void> | undefined;

  constructor(private readonly fetchPage: (token?: string) => Promise<{ items: Item[]; nextToken?: string }>) {}

  get hasMore(): boolean {
    return this.nextToken !== undefined;
  }

  async all(): Promise<Item[]> {
    // One first read, however many ask at once (VS Code and a command may both ask after a
    // refresh): two reads would hand out two sets of items, and only one set stays in the view.
    this.loading ??= this.append(undefined).then(
      () => {
        this.loaded = true;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    if (!this.loaded) await this.loading;
    return this.items;
  }

  async loadMore(): Promise<void> {
    if (this.nextToken !== undefined) {
      await this.append(this.nextToken);
    }
  }

  private async append(token: string | undefined): Promise<void> {
    const page = await this.fetchPage(token);
    this.items = token === undefined ? page.items : [...this.items, ...page.items];
    this.nextToken = page.nextToken;
  }
}

export class LoadMoreTreeItem extends vscode.TreeItem {
  /** `load` fetches the next page and refreshes the parent. */
  constructor(readonly load: () => Promise<void>) {
    super('Load More…', vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'loadMore';
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.command = { command: 'sagemaker.loadMore', title: 'Load More', arguments: [this] };
  }
}

/** A failed load shown in place of the children: what failed, and the next step as its command. */
export class ErrorTreeItem extends vscode.TreeItem {
  constructor(readonly failure: Failure, command: vscode.Command | undefined) {
    super(failure.title, vscode.TreeItemCollapsibleState.None);
    this.contextValue = `error.${failure.kind}`;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    // The whole story on hover: the sidebar cuts the label and the step short.
    this.tooltip = [`${failure.title}.`, failure.message, command && `Next step (click): ${command.title}.`].filter(Boolean).join('\n');
    this.command = command;
    // The step to take when there is one; otherwise what the service said.
    this.description = command ? command.title : failure.message;
  }
}

/** A leaf that states one fact (a metric, or that there is none). */
export class DetailTreeItem extends vscode.TreeItem {
  constructor(label: string, icon: string, description?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'detail';
    this.iconPath = new vscode.ThemeIcon(icon);
    this.description = description;
  }
}
