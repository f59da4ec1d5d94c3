// Child processes for the harness, each the leader of its own process group so that stopping it
// also stops what it started (code-server's extension host outlives a plain SIGTERM by seconds).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { until } from './waiting';

const running = new Set<ChildProcess>();

// If the runner dies, take every group down with it.
process.once('exit', () => {
  for (const child of running) {
    signalGroup(child, 'SIGKILL');
  }
});

export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the whole group, SIGKILL after the grace period. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, 'SIGKILL'); // the leader is gone; its group may not be
    return;
  }
  const exited = once(child, 'exit');
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL');
}

/** Resolves with the first stdout/stderr match of `pattern`, or rejects on exit or timeout. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        finish();
        resolve(match);
      }
    };
    const onExit = (code: number | null) => {
      finish();
      reject(new Error(`${what} exited (code ${code}) before it was ready:\n${seen.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${what} was not ready after ${timeoutMs} ms:\n${seen.slice(-2000)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  await until(`${url} to answer (a status below 500)`, async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return response.status < 500 ? true : undefined;
    } catch {
      return undefined; // not up yet
    }
  }, { timeoutMs });
}
