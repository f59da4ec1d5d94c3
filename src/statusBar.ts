// The status-bar item that shows where SageMaker calls go; clicking it switches the connection.
import * as vscode from 'vscode';
import type { Connection } from './connection/connection';
import { describeConnection } from './connection/settings';
import type { LocalEmulator } from './localEmulator';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sagemaker.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly connection: Connection,
    private readonly emulator: LocalEmulator,
  ) {
    this.item.name = 'SageMaker Connection';
    this.item.command = 'sagemaker.switchConnection';
    this.disposables.push(
      connection.onDidChange(() => this.update()),
      connection.onDidChangeState(() => this.update()),
      emulator.onDidChangeState(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  update(): void {
    const current = this.connection.inspect();
    if ('error' in current) {
      this.item.text = '$(warning) SageMaker: invalid settings';
      this.item.tooltip = current.error.message;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    const { settings } = current;
    const starting = settings.mode === 'emulator' && this.emulator.state === 'starting';
    const unreachable = !starting && this.connection.state === 'unreachable';
    const icon = starting ? '$(loading~spin)' : unreachable ? '$(debug-disconnect)' : settings.mode === 'emulator' ? '$(vm)' : '$(cloud)';
    this.item.text = `${icon} ${describeConnection(settings)}${unreachable ? ' (unreachable)' : ''}`;
    this.item.tooltip = new vscode.MarkdownString(
      settings.mode === 'emulator'
        ? `SageMaker calls go to the local emulator at ${settings.endpoint}${this.whose(settings)}.\n\nClick to switch connection.`
        : `SageMaker calls go to AWS in ${settings.region} with profile \`${settings.profile ?? 'default chain'}\`.\n\nClick to switch connection.`,
    );
    this.item.backgroundColor = unreachable ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Whose emulator answers: started here, this window's (same data folder), or another's. */
  private whose(settings: { dataDir?: string }): string {
    const dataDir = this.emulator.dataDirOf(settings);
    if (this.emulator.state === 'running') return ` (started by this window; data in \`${dataDir}\`)`;
    const health = this.connection.emulatorHealth;
    if (this.connection.state !== 'connected' || !health?.dataDir) return '';
    return this.emulator.owns(health, dataDir) ? ` (this window's; data in \`${dataDir}\`)` : ` (not this window's: its data are in \`${health.dataDir}\`)`;
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
