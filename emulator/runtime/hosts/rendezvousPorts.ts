// The port a training job's hosts meet on (MASTER_PORT). SageMaker's PyTorch container gives every
// job 7777, since each job has machines of its own. Here every job's hosts share this machine's
// network, and PyTorch's TCPStore binds its port on all addresses, so two jobs running at once — in
// one emulator or in two on the same machine — cannot both have 7777. A job takes 7777 when no other
// job on the machine holds it, else the next free port. Leases are files in one folder for the whole
// machine, created exclusively and naming the emulator's pid, so the leases of an emulator that died
// are taken back; a port that something else is listening on is passed over too.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PortLease {
  port: number;
  release(): void;
}

/** Ports tried after the preferred one before the search gives up. */
const SEARCHED = 200;

export const DEFAULT_LEASE_DIR = path.join(os.tmpdir(), 'sagemaker-emulator-rendezvous-ports');

/** The first port from `preferred` that no live emulator's job has leased and nothing listens on. */
export async function leaseRendezvousPort(preferred: number, leaseDir = DEFAULT_LEASE_DIR): Promise<PortLease> {
  mkdirSync(leaseDir, { recursive: true });
  for (let port = preferred; port < preferred + SEARCHED; port++) {
    const file = path.join(leaseDir, String(port));
    if (!takeLease(file)) continue;
    if (await listenable(port)) return { port, release: () => unlinkSync(file) };
    unlinkSync(file);
  }
  throw new Error(`no free rendezvous port between ${preferred} and ${preferred + SEARCHED - 1}: every one is leased by another job or in use on this machine`);
}

/** Creates the lease file; an existing one is taken over only when the emulator that wrote it is gone. */
function takeLease(file: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holderAlive(holder)) return false;
    // A dead emulator's lease: removed, then created again exclusively (another emulator may win that race).
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return false;
}

function holderAlive(pid: number): boolean {
  // An empty file is a lease being written this instant: treated as held.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the port can be bound on all addresses, as PyTorch's TCPStore binds it. */
function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
