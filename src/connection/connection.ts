// The active connection: settings from the configuration, the clients made from them, and whether it
// answers. Everything that talks to AWS or the emulator goes through here, and reports here what it
// found (`report`), so that one call failing for want of a network puts every view, panel and the
// status bar in the same state, and the first call that gets through brings them all back.
import * as vscode from 'vscode';
import { AwsClients } from '../aws/clients';
import { classifyFailure } from '../failures/classify';
import { realTimers } from '../polling/poller';
import { POLL_INTERVAL_MS } from '../polling/schedules';
import { HealthMonitor } from './health';
import { parseConnectionSettings, SETTING, type ConnectionSettings, type SettingsError } from './settings';

export type ConnectionState = 'unknown' | 'connected' | 'unreachable' | 'invalidSettings';

/** While it is down, the connection is probed this often, so that a restart is noticed within it. */
const DOWN_PROBE_MS = 1000;

export class Connection implements vscode.Disposable {
  private current: { settings: ConnectionSettings; clients: AwsClients } | { error: SettingsError } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<ConnectionState>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.stateChanged];
  private reportedState: ConnectionState = 'unknown';
  /** What made the connection unreachable, while it is. */
  private lastError: unknown;
  /** What the local emulator's health control last said (its data folder, process), while it answered. */
  private lastHealth: { dataDir?: string; pid?: number } | undefined;
  readonly health: HealthMonitor;

  /** Fires when the settings change, after the new clients are in place. */
  readonly onDidChange = this.changed.event;

  /** Fires when a call or a probe finds the connection reachable, unreachable or misconfigured. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(options: { upProbeMs?: number; downProbeMs?: number } = {}) {
    this.health = new HealthMonitor({
      probe: () => this.probe(),
      onResult: (error) => this.report(error),
      upIntervalMs: options.upProbeMs ?? POLL_INTERVAL_MS,
      downIntervalMs: options.downProbeMs ?? DOWN_PROBE_MS,
      scheduler: realTimers,
    });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Object.values(SETTING).some((id) => event.affectsConfiguration(id))) {
          this.reset();
          this.changed.fire();
          void this.health.check();
        }
      }),
      { dispose: () => this.health.stop() },
    );
    this.health.start();
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

  /** The settings if they are valid, for failure messages; never throws. */
  get validSettings(): ConnectionSettings | undefined {
    const current = this.inspect();
    return 'settings' in current ? current.settings : undefined;
  }

  /**
   * What a call found: nothing (it was answered, whatever the answer) or its error. Only failures to
   * reach the connection, or bad settings, change the state; a service's refusal is an answer.
   */
  report(error?: unknown): void {
    if (error === undefined) {
      this.setState('connected');
      return;
    }
    const kind = classifyFailure(error, { settings: this.validSettings }).kind;
    if (kind === 'unreachable') {
      this.lastError = error;
      this.setState('unreachable');
    } else if (kind === 'settings') {
      this.setState('invalidSettings');
    } else {
      this.setState('connected');
    }
  }

  /** Why the connection is down (for error nodes and banners), while it is. */
  get failure(): unknown {
    const current = this.inspect();
    if ('error' in current) return current.error;
    return this.reportedState === 'unreachable' ? this.lastError : undefined;
  }

  /** What the emulator answering at the URL said of itself at the last probe (kept after it stops answering). */
  get emulatorHealth(): { dataDir?: string; pid?: number } | undefined {
    return this.lastHealth;
  }

  /** Records a state, for the status bar and the views' welcome content. */
  setState(state: ConnectionState): void {
    if (state === this.reportedState) {
      return;
    }
    this.reportedState = state;
    if (state !== 'unreachable') this.lastError = undefined;
    this.health.setDown(state === 'unreachable');
    void vscode.commands.executeCommand('setContext', 'sagemaker.connectionState', state);
    this.stateChanged.fire(state);
  }

  get state(): ConnectionState {
    return this.reportedState;
  }

  /**
   * Whether anything answers where calls go: the emulator's health control (any HTTP status counts:
   * one that refuses unsigned requests still answers); AWS only once a call found it unreachable.
   */
  private async probe(): Promise<'answered' | 'skip'> {
    const settings = this.validSettings;
    if (!settings) return 'skip';
    if (settings.mode === 'aws') {
      if (this.reportedState !== 'unreachable') return 'skip';
      await fetch(`https://api.sagemaker.${settings.region}.amazonaws.com/`, { signal: AbortSignal.timeout(3000) });
      return 'answered';
    }
    const response = await fetch(`${settings.endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    const body: unknown = response.ok ? await response.json().catch(() => undefined) : await response.body?.cancel();
    this.lastHealth = typeof body === 'object' && body !== null ? (body as { dataDir?: string; pid?: number }) : undefined;
    return 'answered';
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
    this.lastError = undefined;
    this.lastHealth = undefined;
    this.health.setDown(false);
  }

  dispose(): void {
    this.reset();
    this.disposables.forEach((disposable) => disposable.dispose());
  }
}
