// Unit tests of FrontDoor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrontDoor, isLoopbackAddress } from '../../../emulator/frontDoor';

describe('FrontDoor', () => {
  const door = new FrontDoor({ listenHost: '192.168.1.5', allowHosts: ['DevBox.Internal.', 'devbox:4590'], allowOrigins: ['http://localhost:3000/'] });
  const admitted = (headers: Record<string, string>) => door.admit(headers).admitted;

  it('admits loopback names and addresses in every spelling, the listening address and allowed names', () => {
    for (const host of ['localhost', 'localhost:4590', 'LocalHost.', 'a.b.localhost:1', '127.0.0.1', '127.255.255.254:80', '[::1]', '[::1]:4590', '[0:0:0:0:0:0:0:1]:4590', '[::ffff:127.0.0.1]', '192.168.1.5:4590', 'devbox.internal', 'DEVBOX:9'])
      assert.equal(admitted({ host }), true, host);
  });

  it('refuses other names and addresses, however close, and a request without Host', () => {
    for (const host of ['localhost.evil.example', 'evillocalhost', '127.0.0.1.nip.io', '128.0.0.1', '0.0.0.0', '[::]', '[::2]', '[::ffff:128.0.0.1]', '192.168.1.6', 'devbox.internal.evil'])
      assert.equal(admitted({ host }), false, host);
    assert.equal(admitted({}), false);
  });

  it('refuses requests that carry an Origin unless it was allowed, and marks allowed ones for CORS', () => {
    assert.deepEqual(door.admit({ host: 'localhost', origin: 'http://localhost:3000' }), { admitted: true, corsOrigin: 'http://localhost:3000' });
    assert.deepEqual(door.admit({ host: 'localhost', origin: 'HTTP://LOCALHOST:3000' }), { admitted: true, corsOrigin: 'http://localhost:3000' });
    for (const origin of ['http://localhost:3001', 'https://localhost:3000', 'null', 'file://', 'vscode-webview://abc']) {
      const admission = door.admit({ host: 'localhost', origin });
      assert.equal(admission.admitted, false, origin);
      assert.match(admission.admitted ? '' : admission.reason, /--allow-origin/, origin);
    }
  });

  it('refuses what a browser marks as coming from another site, even without an Origin', () => {
    assert.equal(admitted({ host: 'localhost', 'sec-fetch-site': 'cross-site' }), false);
    assert.equal(admitted({ host: 'localhost', 'sec-fetch-site': 'same-site' }), false);
    assert.equal(admitted({ host: 'localhost', 'sec-fetch-site': 'same-origin' }), true);
    assert.equal(admitted({ host: 'localhost', 'sec-fetch-site': 'none' }), true);
  });

  it('refuses an origin that is not one with --allow-origin at start', () => {
    assert.throws(() => new FrontDoor({ allowOrigins: ['not a url'] }), /--allow-origin takes a web origin/);
  });
});

describe('isLoopbackAddress', () => {
  it('tells bind addresses that keep the emulator to this machine', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) assert.equal(isLoopbackAddress(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'myhost', '']) assert.equal(isLoopbackAddress(host), false, host);
  });
});
