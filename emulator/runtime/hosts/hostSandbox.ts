// How a container host is launched: in its own mount namespace (bubblewrap), where the host's folder
// *is* /opt/ml and /etc/hosts names the job's hosts algo-1…algo-N, so scripts use SageMaker's
// literal paths and host names unchanged. Everything else is the machine's: the rest of the file
// system (bound as it is), the network (hosts and the emulator reach each other over loopback),
// the process ids (stop signals reach the script's process group directly).
//
// bubblewrap rather than `unshare`: it builds the namespace declaratively in one exec (~12 ms here,
// against ~125 ms for `unshare` and a shell running mount(8) for each bind), needs no mount point
// on the machine (/opt becomes a tmpfs holding /opt/ml and the machine's own /opt entries, bound
// back), and works for an unprivileged user through a user namespace, where `unshare --mount`
// needs root. Where it is missing or namespaces are refused, hosts run as plain processes (the
// fallback the runtimes choose, see `HostSandbox.probe`).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const CONTAINER_ROOT = '/opt/ml';

/** What a launch needs to run in a namespace; absent: a plain process. */
export interface SandboxSpec {
  /** The bubblewrap executable the probe found. */
  launcher: string;
  /** The folder that is /opt/ml inside. */
  optMl: string;
  /** A file that is /etc/hosts inside (the job's algo-N), if the job has hosts to name. */
  hostsFile?: string;
  /** Folders shared by a job's hosts, bound into /opt/ml (a FullyReplicated channel downloaded once). */
  binds?: ReadonlyArray<{ source: string; target: string }>;
  /** The working directory inside the namespace. */
  cwd?: string;
}

export interface SpawnCommand {
  command: string;
  args: string[];
  /** The working directory on this machine (a sandboxed process gets its own with --chdir). */
  cwd?: string;
}

/** The command that starts `command args` in the namespace `spec` describes. */
export function sandboxedCommand(spec: SandboxSpec, command: string, args: readonly string[]): SpawnCommand {
  // `/` as it is (devices too), then a tmpfs over /opt with the machine's entries bound back and
  // the host's folder as /opt/ml: nothing is created on the machine. No --new-session and no
  // --die-with-parent: the host stays in the process group its runtime signals, and a script
  // finishing its checkpoint after SIGTERM is not killed because bubblewrap itself has exited.
  const args0 = ['--dev-bind', '/', '/', '--tmpfs', '/opt'];
  for (const entry of optEntries()) {
    const source = path.join('/opt', entry.name);
    if (entry.link !== undefined) args0.push('--symlink', entry.link, source);
    else args0.push('--bind', source, source);
  }
  args0.push('--bind', spec.optMl, CONTAINER_ROOT);
  for (const { source, target } of spec.binds ?? []) args0.push('--bind', source, target);
  if (spec.hostsFile) args0.push('--ro-bind', spec.hostsFile, '/etc/hosts');
  if (spec.cwd) args0.push('--chdir', spec.cwd);
  return { command: spec.launcher, args: [...args0, '--', command, ...args] };
}

/** The machine's /opt, but for an /opt/ml of its own, which the namespace hides. */
function optEntries(): Array<{ name: string; link?: string }> {
  let names: string[];
  try {
    names = readdirSync('/opt');
  } catch {
    return [];
  }
  return names
    .filter((name) => name !== 'ml')
    .map((name) => {
      const source = path.join('/opt', name);
      try {
        return lstatSync(source).isSymbolicLink() ? { name, link: readlinkSync(source) } : { name };
      } catch {
        return { name };
      }
    });
}

/** Where a path on this machine is seen from inside a namespace rooted at `optMl`. */
export function containerPath(optMl: string, hostPath: string): string {
  const relative = path.relative(optMl, hostPath);
  if (relative === '') return CONTAINER_ROOT;
  if (relative.startsWith('..') || path.isAbsolute(relative)) return hostPath; // outside /opt/ml: the same path
  return path.posix.join(CONTAINER_ROOT, ...relative.split(path.sep));
}

export interface JobNetwork {
  /** This machine's path of the file that is the hosts' /etc/hosts. */
  hostsFile: string;
  /** Each host's loopback address, by rank. */
  addresses: string[];
  release(): void;
}

/**
 * Whether hosts get namespaces: decided once, when the first host is about to start (`ready`), and
 * said once in the emulator's log. An emulator that runs nothing never asks.
 */
export class HostSandbox {
  /** The loopback blocks of the jobs running now. */
  private readonly loopback = new LoopbackBlocks();
  /** The bubblewrap executable, once the probe found that hosts can run in namespaces. */
  private launcher: string | undefined;
  private unavailableReason = 'not probed yet';
  private probed: Promise<this> | undefined;

  /** `disabled` forces the fallback (the emulator's --no-host-sandbox); `launcher` names bubblewrap (default: bwrap on PATH). */
  constructor(
    private readonly options: { disabled?: boolean; launcher?: string; log?: (line: string) => void } = {},
  ) {}

  /** Once probed: whether hosts run in namespaces. */
  get enabled(): boolean {
    return this.launcher !== undefined;
  }

  /** Probes once (every caller waits for the same probe), then logs what it found. */
  ready(): Promise<this> {
    this.probed ??= this.probe().then((sandbox) => {
      this.options.log?.(sandbox.describe());
      return sandbox;
    });
    return this.probed;
  }

  /** Tries bubblewrap with the arguments hosts get (a throwaway /opt/ml): namespaces work here, or the reason they do not. */
  private async probe(): Promise<this> {
    if (this.options.disabled) {
      this.unavailableReason = 'turned off (--no-host-sandbox)';
      return this;
    }
    const launcher = this.options.launcher ?? findOnPath('bwrap');
    if (!launcher) {
      this.unavailableReason = 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap';
      return this;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-probe-'));
    try {
      writeFileSync(path.join(dir, 'hosts'), '127.0.0.1 localhost\n');
      const { command, args } = sandboxedCommand({ launcher, optMl: dir, hostsFile: path.join(dir, 'hosts'), cwd: CONTAINER_ROOT }, '/bin/sh', [
        '-c',
        'test -f /opt/ml/hosts && touch /opt/ml/probed',
      ]);
      const failure = await new Promise<string | undefined>((resolve) =>
        execFile(command, args, { timeout: 10_000 }, (error, _stdout, stderr) => resolve(error ? stderr.trim() || error.message : undefined)),
      );
      if (failure !== undefined) this.unavailableReason = `bubblewrap cannot make a namespace here: ${failure}`;
      else if (!lstatSync(path.join(dir, 'probed'), { throwIfNoEntry: false })) this.unavailableReason = 'bubblewrap ran, but /opt/ml was not the host folder';
      else this.launcher = launcher;
      return this;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The sandbox of one host; undefined when hosts run as plain processes. */
  spec(optMl: string, options: Pick<SandboxSpec, 'hostsFile' | 'binds' | 'cwd'> = {}): SandboxSpec | undefined {
    return this.launcher === undefined ? undefined : { launcher: this.launcher, optMl, ...options };
  }

  /**
   * A job's hosts on the network: a loopback address each (stable for the job, see LoopbackBlocks)
   * and `file` written as the /etc/hosts that names them. `release` when the job's hosts have ended.
   */
  async jobNetwork(jobKey: string, hosts: string[], file: string): Promise<JobNetwork> {
    const { addresses, release } = this.loopback.reserve(jobKey, hosts.length);
    try {
      await jobHostsFile(file, hosts.map((name, index) => ({ name, address: addresses[index] })));
    } catch (error) {
      release();
      throw error;
    }
    return { hostsFile: file, addresses, release };
  }

  /** The one line the emulator logs about it. */
  describe(): string {
    return this.enabled
      ? `hosts run in their own mount namespace (${this.launcher}): /opt/ml is the host's folder, algo-N are in /etc/hosts`
      : `hosts run without a mount namespace (${this.unavailableReason}): scripts find their folders through SM_* variables and SM_EMULATOR_OPT_ML, not at /opt/ml, and algo-N do not resolve; see emulator/README.md, "The host sandbox"`;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (lstatSync(candidate, { throwIfNoEntry: false })) return candidate;
  }
  return undefined;
}

/**
 * The loopback addresses of a job's hosts: 127.A.B.1…N, a block of its own chosen from a hash of
 * the job (so the same job gets the same addresses again, after a spot restart or an emulator
 * restart) and not held by another running job of this emulator, so two jobs whose hosts listen
 * on their own address and the same port (algo-1:7777) never meet. 127.0.x.x is left alone
 * (localhost, Debian's 127.0.1.1).
 */
export class LoopbackBlocks {
  private static readonly BLOCKS = 254 * 256;
  private static readonly HOSTS_PER_BLOCK = 250;
  private readonly inUse = new Set<number>();

  reserve(jobKey: string, hostCount: number): { addresses: string[]; release(): void } {
    const blocksNeeded = Math.ceil(hostCount / LoopbackBlocks.HOSTS_PER_BLOCK) || 1;
    const start = createHash('sha256').update(jobKey).digest().readUInt32BE(0) % LoopbackBlocks.BLOCKS;
    let first = start;
    while (this.blocks(first, blocksNeeded).some((block) => this.inUse.has(block))) {
      first = (first + 1) % LoopbackBlocks.BLOCKS;
      if (first === start) throw new Error('no free loopback block for the job');
    }
    const blocks = this.blocks(first, blocksNeeded);
    for (const block of blocks) this.inUse.add(block);
    const addresses = Array.from({ length: hostCount }, (_, index) => {
      const block = blocks[Math.floor(index / LoopbackBlocks.HOSTS_PER_BLOCK)];
      return `127.${1 + Math.floor(block / 256)}.${block % 256}.${1 + (index % LoopbackBlocks.HOSTS_PER_BLOCK)}`;
    });
    return {
      addresses,
      release: () => {
        for (const block of blocks) this.inUse.delete(block);
      },
    };
  }

  private blocks(first: number, count: number): number[] {
    return Array.from({ length: count }, (_, index) => (first + index) % LoopbackBlocks.BLOCKS);
  }
}

/** The job's /etc/hosts: the machine's own entries, then `address algo-N` for every host. */
async function jobHostsFile(file: string, hosts: ReadonlyArray<{ name: string; address: string }>): Promise<void> {
  const machine = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1\tlocalhost\n');
  const lines = hosts.map(({ name, address }) => `${address}\t${name}`);
  await writeFile(file, `${machine.replace(/\n?$/, '\n')}# the job's hosts (sagemaker-emulator)\n${lines.join('\n')}\n`);
}
