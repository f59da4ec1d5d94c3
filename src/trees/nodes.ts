// Tree nodes shared by every view: the error node with its next step, and "Load More" for paging.
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { ConnectionSettings } from '../connection/settings';

/** One page of children and how to fetch the next, kept per parent so paging survives expansion. */
export class PagedChildren<Item> {
  private items: Item[] = [];
  private nextToken: string | undefined;
  private loaded = false;

  constructor(private readonly fetchPage: (token?: string) => Promise<{ items: Item[]; nextToken?: string }>) {}

  get hasMore(): boolean {
    return this.nextToken !== undefined;
  }

  async all(): Promise<Item[]> {
    if (!this.loaded) {
      await this.append(undefined);
      this.loaded = true;
    }
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

/** A failed load shown in place of the children, with the action that fixes it. */
export class ErrorTreeItem extends vscode.TreeItem {
  constructor(error: unknown, settings: ConnectionSettings | undefined, what: string) {
    const failure = classifyFailure(error);
    super(errorLabel(failure.kind, settings, what), vscode.TreeItemCollapsibleState.None);
    this.contextValue = `error.${failure.kind}`;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    this.tooltip = failure.message;
    this.description = failure.kind === 'other' ? failure.message : undefined;
    this.command = errorAction(failure.kind, settings, failure.setting);
    if (this.command && failure.kind !== 'other') {
      this.description = this.command.title;
    }
  }
}

function errorLabel(kind: string, settings: ConnectionSettings | undefined, what: string): string {
  switch (kind) {
    case 'settings':
      return 'Invalid connection setting';
    case 'unreachable':
      return settings?.mode === 'emulator'
        ? `Cannot reach the local emulator at ${new URL(settings.endpoint).host}`
        : `Cannot reach AWS in ${settings?.region ?? 'this region'}`;
    case 'credentials':
      return `No valid AWS credentials for profile ${(settings?.mode === 'aws' && settings.profile) || 'default'}`;
    default:
      return `Could not load ${what}`;
  }
}

function errorAction(
  kind: string,
  settings: ConnectionSettings | undefined,
  setting: string | undefined,
): vscode.Command | undefined {
  switch (kind) {
    case 'settings':
      return { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [setting] };
    case 'unreachable':
      return settings?.mode === 'emulator'
        ? { command: 'sagemaker.startEmulator', title: 'Start Local Emulator' }
        : { command: 'sagemaker.switchConnection', title: 'Switch Connection' };
    case 'credentials':
      return { command: 'sagemaker.switchConnection', title: 'Switch Connection' };
    default:
      return undefined;
  }
}
