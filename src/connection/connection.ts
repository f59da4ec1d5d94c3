// The active connection: settings from the configuration, the clients made from them, and the
// state the views show. Everything that talks to AWS or the emulator goes through here.
import * as vscode from 'vscode';
import { AwsClients } from '../aws/clients';
import { parseConnectionSettings, SETTING, type ConnectionSettings, type SettingsError } from './settings';

export type ConnectionState = 'unknown' | 'connected' | 'unreachable' | 'invalidSettings';

export class Connection implements vscode.Disposable {
  private current: { settings: ConnectionSettings; clients: AwsClients } | { error: SettingsError } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<ConnectionState>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.stateChanged];
  private reportedState: ConnectionState = 'unknown';

  /** Fires when the settings change, after the new clients are in place. */
  readonly onDidChange = this.changed.event;

  /** Fires when a call finds the connection reachable, unreachable or misconfigured. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Object.values(SETTING).some((id) => event.affectsConfiguration(id))) {
          this.reset();
          this.changed.fire();
        }
      }),
    );
  }

  /** The validated settings; throws the SettingsError that names a bad setting. */
  get settings(): ConnectionSettings {
    return this.load().settings;
  }

  /** The SDK clients for the current settings; throws a SettingsError for bad settings. */
  get clients(): AwsClients {
    return this.load().clients;
  }

  /** The settings, or the error that makes them unusable — for display, never throws. */
  inspect(): { settings: ConnectionSettings } | { error: SettingsError } {
    this.ensureLoaded();
    return this.current!;
  }

  /** Records what the last call found, for the status bar and the views' welcome content. */
  setState(state: ConnectionState): void {
    if (state === this.reportedState) {
      return;
    }
    this.reportedState = state;
    void vscode.commands.executeCommand('setContext', 'sagemaker.connectionState', state);
    this.stateChanged.fire(state);
  }

  get state(): ConnectionState {
    return this.reportedState;
  }

  private load(): { settings: ConnectionSettings; clients: AwsClients } {
    const current = this.inspect();
    if ('error' in current) {
      throw current.error;
    }
    return current as { settings: ConnectionSettings; clients: AwsClients };
  }

  private ensureLoaded(): void {
    if (this.current) {
      return;
    }
    const configuration = vscode.workspace.getConfiguration();
    try {
      const settings = parseConnectionSettings((id) => configuration.get(id));
      this.current = { settings, clients: new AwsClients(settings) };
    } catch (error) {
      this.current = { error: error as SettingsError };
      this.setState('invalidSettings');
    }
  }

  private reset(): void {
    if (this.current && 'clients' in this.current) {
      this.current.clients.dispose();
    }
    this.current = undefined;
    this.reportedState = 'unknown';
  }

  dispose(): void {
    this.reset();
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
