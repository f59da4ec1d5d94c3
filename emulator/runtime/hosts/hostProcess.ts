// One container host as a local process: its own process group (so stopping it stops whatever it
// started), in its mount namespace when it has one (hostSandbox.ts), the environment
// hostEnvironment.ts builds and nothing else of the emulator's, output split into lines for the
// log, and SageMaker's stop: SIGTERM, a grace period, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { HostEnvironment } from './hostEnvironment';
import { sandboxedCommand } from './hostSandbox';
import type { ContainerLaunch } from './images';

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class HostProcess {
  private readonly child: ChildProcess;
  readonly exited: Promise<HostExit>;

  /** `environment` is the whole environment of the process (`launch.env` is in it already). */
  constructor(launch: ContainerLaunch, environment: HostEnvironment, onLine: (line: string, stream: 'stdout' | 'stderr') => void) {
    const { command, args, cwd } = launch.sandbox ? sandboxedCommand({ ...launch.sandbox, cwd: launch.cwd }, launch.command, launch.args) : launch;
    this.child = spawn(command, args, {
      cwd,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = once(this.child, 'close').then(([code, signal]) => ({ code, signal }) as HostExit);
    // A command that cannot start (ENOENT, EACCES) emits 'error' and no exit code.
    const failedToStart = once(this.child, 'error').then(([error]) => {
      onLine(`failed to start ${command}: ${(error as Error).message}`, 'stderr');
      return { code: 127, signal: null } as HostExit;
    });
    this.exited = Promise.race([exited, failedToStart]);
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on('line', (line) => onLine(line, 'stdout'));
    createInterface({ input: this.child.stderr!, crlfDelay: Infinity }).on('line', (line) => onLine(line, 'stderr'));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the host's process group, SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(graceMs: number): Promise<HostExit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    this.signal('SIGKILL'); // anything the script left behind in its group
    return exit;
  }

  /** The host dies at once, as an instance that fails does: SIGKILL to its whole process group. */
  kill(): void {
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // already gone
    }
  }
}
