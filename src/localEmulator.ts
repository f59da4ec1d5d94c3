// The one owner of the local emulator in this window. It starts the bundled emulator as a child
// process with VS Code's own runtime (no Node install needed) on the configured URL and data folder
// (`sagemaker.emulator.dataDir`, else VS Code's storage), and acts on an emulator it did not start
// when that one is this window's — it keeps its state in the same data folder, as its health control
// says — through its shutdown control; any other emulator is left alone, and the user is told so.
// The *SageMaker Emulator* output channel follows the emulator's own log file, whoever started it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { emulatorEnvironment } from './emulatorEnvironment';
import { emulatorLogFile, LogFollower } from './emulatorLog';

export type EmulatorProcessState = 'stopped' | 'starting' | 'running';

/** What `/_emulator/health` says of the emulator answering at a URL. */
export interface EmulatorHealth {
  dataDir?: string;
  pid?: number;
  version?: string;
}

/** An emulator answers at the URL but keeps its state elsewhere: not this window's to stop or replace. */
export class NotOurEmulatorError extends Error {
  override readonly name = 'NotOurEmulatorError';
}

/** How long a stopped emulator gets to close its store and free the port. */
const STOP_TIMEOUT_MS = 15_000;

export class LocalEmulator implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  /** The URL this window last started an emulator on: if it dies there, Restart brings it back. */
  private startedOn: string | undefined;
  /** The URL this window last stopped an emulator on, on purpose: Start, not Restart, brings it back. */
  private stoppedOn: string | undefined;
  private follower: LogFollower | undefined;
  private readonly stateChanged = new vscode.EventEmitter<EmulatorProcessState>();
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly bundlePath: string,
    /** Where state lives when `sagemaker.emulator.dataDir` is empty. */
    readonly defaultDataDir: string,
    readonly output: vscode.OutputChannel,
  ) {}

  /** The state of the emulator this window started, if any. */
  get state(): EmulatorProcessState {
    return this.starting ? 'starting' : this.child ? 'running' : 'stopped';
  }

  /** The data folder of the settings: the configured one, else VS Code's storage. */
  dataDirOf(settings: { dataDir?: string }): string {
    return settings.dataDir ?? this.defaultDataDir;
  }

  /** Whether the emulator that said `health` keeps its state in `dataDir`. */
  owns(health: EmulatorHealth | undefined, dataDir: string): boolean {
    return health?.dataDir !== undefined && path.resolve(health.dataDir) === path.resolve(dataDir);
  }

  /**
   * What brings the emulator at `endpoint` back: Restart when an emulator of this window's ran there
   * (started here, or `lastHealth` says it kept its state in `dataDir`) and was not stopped on
   * purpose; Start otherwise.
   */
  bringBackStep(endpoint: string, dataDir: string, lastHealth: EmulatorHealth | undefined): 'startEmulator' | 'restartEmulator' {
    if (this.stoppedOn === endpoint) return 'startEmulator';
    return this.startedOn === endpoint || this.owns(lastHealth, dataDir) ? 'restartEmulator' : 'startEmulator';
  }

  /** The output channel shows `dataDir`'s emulator log from now on. */
  followLog(dataDir: string): void {
    const file = emulatorLogFile(dataDir);
    if (this.follower?.file === file) return;
    this.follower?.dispose();
    this.follower = new LogFollower(file, (text) => this.output.append(text));
    void this.follower.start();
  }

  /** What answers at `endpoint`: its health, `{}` if it answers but will not say, undefined if nothing answers. */
  async health(endpoint: string): Promise<EmulatorHealth | undefined> {
    let response: Response;
    try {
      response = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    } catch {
      return undefined;
    }
    const body = response.ok ? await response.json().catch(() => ({})) : (await response.body?.cancel(), {});
    return typeof body === 'object' && body !== null ? (body as EmulatorHealth) : {};
  }

  /**
   * Starts the emulator on `endpoint` with `dataDir`; resolves once it listens. If one already
   * answers there, it is used when it is this window's (same data folder), refused otherwise.
   */
  async start(endpoint: string, dataDir: string): Promise<'started' | 'alreadyRunning'> {
    if (this.child) return 'alreadyRunning';
    const health = await this.health(endpoint);
    if (health) {
      if (!this.owns(health, dataDir)) throw new NotOurEmulatorError(notOursMessage(endpoint, health, dataDir, 'start one here'));
      this.stoppedOn = undefined;
      return 'alreadyRunning';
    }
    this.starting ??= this.spawnAndWait(endpoint, dataDir).finally(() => {
      this.starting = undefined;
      this.stateChanged.fire(this.state);
    });
    this.stateChanged.fire('starting');
    await this.starting;
    return 'started';
  }

  /**
   * Stops the emulator on `endpoint`: the one this window started, or one keeping its state in
   * `dataDir` through its shutdown control. Another emulator is refused, with why.
   */
  async stop(endpoint: string, dataDir: string): Promise<'stopped' | 'notRunning'> {
    if (this.child) {
      this.stoppedOn = endpoint;
      await this.stopChild(this.child);
      return 'stopped';
    }
    const health = await this.health(endpoint);
    if (!health) return 'notRunning';
    if (!this.owns(health, dataDir)) throw new NotOurEmulatorError(notOursMessage(endpoint, health, dataDir, 'stop it'));
    this.stoppedOn = endpoint;
    const response = await fetch(`${endpoint}/_emulator/shutdown`, { method: 'POST', signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    if (response.status !== 202) throw new Error(`The emulator at ${new URL(endpoint).host} refused to stop (HTTP ${response.status}).`);
    await this.untilSilent(endpoint);
    return 'stopped';
  }

  /** Whether this window stopped the emulator at `endpoint` on purpose (and has not started one there since): its silence is no death. */
  stoppedOnPurpose(endpoint: string): boolean {
    return this.stoppedOn === endpoint;
  }

  /** Waits until nothing answers at `endpoint` any more (the emulator has closed its store and port). */
  private async untilSilent(endpoint: string): Promise<void> {
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (await this.health(endpoint)) {
      if (Date.now() > deadline) throw new Error(`The emulator at ${new URL(endpoint).host} still answers ${STOP_TIMEOUT_MS / 1000} s after it was asked to stop.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private spawnAndWait(endpoint: string, dataDir: string): Promise<void> {
    const url = new URL(endpoint);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const args = [this.bundlePath, '--host', url.hostname.replace(/^\[|\]$/g, ''), '--port', port, '--data-dir', dataDir];
    this.output.appendLine(`Starting the local emulator on ${url.host} (data in ${dataDir})`);
    this.followLog(dataDir);
    const child = spawn(process.execPath, args, {
      env: emulatorEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedOn = endpoint;
    this.stoppedOn = undefined;
    // The emulator writes its log to its data folder too, which the channel follows; stderr is kept
    // for what it says before that file is open (a bad argument, a port in use).
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.output.appendLine(`The local emulator exited (${signal ?? `code ${code}`}).`);
      if (this.child === child) {
        this.child = undefined;
        this.stateChanged.fire(this.state);
      }
    });
    return new Promise<void>((resolve, reject) => {
      let stdout = '';
      const onData = (text: string) => {
        stdout += text;
        if (stdout.includes('listening on ')) {
          child.stdout!.off('data', onData).resume();
          resolve();
        }
      };
      child.stdout!.setEncoding('utf8').on('data', onData);
      child.once('error', (error) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`Could not start the local emulator: ${error.message}`));
      });
      child.once('exit', (code) => {
        if (stderr) this.output.append(stderr);
        const lastError = stderr.trim().split('\n').pop();
        reject(new Error(`The local emulator stopped before it was ready (exit code ${code}): ${lastError || 'see the SageMaker Emulator output'}`));
      });
    });
  }

  private async stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  dispose(): void {
    this.child?.kill('SIGTERM');
    this.follower?.dispose();
    this.stateChanged.dispose();
  }
}

function notOursMessage(endpoint: string, health: EmulatorHealth, dataDir: string, action: string): string {
  const host = new URL(endpoint).host;
  const where = health.dataDir ? `keeps its state in ${health.dataDir}` : 'does not say where it keeps its state';
  return `The emulator at ${host} is not this window's: it ${where}, and this window's data folder (sagemaker.emulator.dataDir) is ${dataDir}. To ${action}, stop that emulator where it was started, or point sagemaker.emulator.url or sagemaker.emulator.dataDir at it.`;
}
