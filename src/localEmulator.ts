// Runs the bundled emulator as a child process with VS Code's own runtime, so no Node install is
// needed. Its output goes to an output channel; it stops with the window.
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { emulatorEnvironment } from './emulatorEnvironment';

export type EmulatorProcessState = 'stopped' | 'starting' | 'running';

export class LocalEmulator implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  /** The URL an emulator was last started on from this window: if it has died there, Restart brings it back. */
  private startedOn: string | undefined;
  private readonly stateChanged = new vscode.EventEmitter<EmulatorProcessState>();
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly bundlePath: string,
    private readonly dataDir: string,
    readonly output: vscode.OutputChannel,
  ) {}

  get state(): EmulatorProcessState {
    return this.starting ? 'starting' : this.child ? 'running' : 'stopped';
  }

  /** Starts the emulator on the endpoint's host and port; resolves once it listens. */
  start(endpoint: string): Promise<void> {
    this.starting ??= this.spawnAndWait(endpoint).finally(() => {
      this.starting = undefined;
      this.stateChanged.fire(this.state);
    });
    this.stateChanged.fire('starting');
    return this.starting;
  }

  private spawnAndWait(endpoint: string): Promise<void> {
    if (this.child) {
      return Promise.resolve();
    }
    const url = new URL(endpoint);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const args = [this.bundlePath, '--host', url.hostname.replace(/^\[|\]$/g, ''), '--port', port, '--data-dir', this.dataDir];
    this.output.appendLine(`Starting the local emulator on ${url.host} (data in ${this.dataDir})`);
    const child = spawn(process.execPath, args, {
      env: emulatorEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedOn = endpoint;
    let lastError = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      lastError = text.trim().split('\n').pop() ?? lastError;
      this.output.append(text);
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
        this.output.append(text);
        stdout += text;
        if (stdout.includes('listening on ')) {
          child.stdout!.off('data', onData).on('data', (more: string) => this.output.append(more));
          resolve();
        }
      };
      child.stdout!.setEncoding('utf8').on('data', onData);
      child.once('error', (error) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`Could not start the local emulator: ${error.message}`));
      });
      child.once('exit', (code) =>
        reject(new Error(`The local emulator stopped before it was ready (exit code ${code}): ${lastError || 'see the SageMaker Emulator output'}`)),
      );
    });
  }

  /** Whether an emulator was started on `endpoint` from this window (running or not). */
  hasRunOn(endpoint: string): boolean {
    return this.startedOn === endpoint;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.startedOn = undefined; // stopped on purpose: Start, not Restart, brings it back
    if (!child) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  dispose(): void {
    this.child?.kill('SIGTERM');
    this.stateChanged.dispose();
  }
}
