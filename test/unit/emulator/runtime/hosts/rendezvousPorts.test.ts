// MASTER_PORT leases: 7777 for the first job on the machine, the next free port for a job that starts
// while another (in this emulator or another one) holds it, a dead emulator's lease taken back, and a
// port something else listens on — on any address — passed over, since PyTorch binds every address.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { leaseRendezvousPort } from '../../../../../emulator/runtime/hosts/rendezvousPorts';
import { makeTempDir } from '../../../../../harness/emulatorClients';

/** A port nothing listens on now (the kernel's pick), so the tests do not depend on 7777 being free. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening(port: number, host: string): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

describe('rendezvous port leases', () => {
  it('gives the preferred port, the next one while it is held, and the preferred one again once released', async () => {
    const dir = makeTempDir('leases');
    try {
      const preferred = await freePort();
      const first = await leaseRendezvousPort(preferred, dir.path);
      assert.equal(first.port, preferred);
      const second = await leaseRendezvousPort(preferred, dir.path);
      assert.ok(second.port > preferred, `a second job while the first holds ${preferred}: ${second.port}`);
      first.release();
      assert.equal(existsSync(path.join(dir.path, String(preferred))), false, 'the lease file is gone once released');
      const third = await leaseRendezvousPort(preferred, dir.path);
      assert.equal(third.port, preferred);
      second.release();
      third.release();
    } finally {
      dir.remove();
    }
  });

  it("takes back a lease whose emulator is gone, and treats a lease still being written as held", async () => {
    const dir = makeTempDir('leases');
    try {
      const preferred = await freePort();
      const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(path.join(dir.path, String(preferred)), exited.stdout);
      const taken = await leaseRendezvousPort(preferred, dir.path);
      assert.equal(taken.port, preferred, `the lease of exited pid ${exited.stdout} is taken back`);
      taken.release();

      writeFileSync(path.join(dir.path, String(preferred)), '');
      const next = await leaseRendezvousPort(preferred, dir.path);
      assert.notEqual(next.port, preferred);
      next.release();
    } finally {
      dir.remove();
    }
  });

  it('passes over a port another process listens on, on all addresses or on one loopback address of its own', async () => {
    const dir = makeTempDir('leases');
    try {
      for (const host of ['0.0.0.0', '127.77.0.1']) {
        const preferred = await freePort();
        const other = await listening(preferred, host);
        try {
          const lease = await leaseRendezvousPort(preferred, dir.path);
          assert.notEqual(lease.port, preferred, `${host}:${preferred} is taken`);
          assert.equal(existsSync(path.join(dir.path, String(preferred))), false, 'no lease is left on the port passed over');
          lease.release();
        } finally {
          await new Promise((resolve) => other.close(resolve));
        }
      }
    } finally {
      dir.remove();
    }
  });
});
