// Listening: the emulator app on a TCP port (127.0.0.1 by default; port 0 picks a free one).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type EmulatorOptions } from './app';

export interface StartOptions extends EmulatorOptions {
  host?: string;
  port?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (briefly), then closes the store. */
  close(): Promise<void>;
}

/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 2000;

export async function startEmulator(options: StartOptions): Promise<RunningEmulator> {
  const { host = '127.0.0.1', port = 0 } = options;
  const emulator = await createApp(options);
  const server = createServer(emulator.app);
  try {
    await listen(server, host, port);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  await emulator.start(ownUrl(address));
  return {
    url,
    port: address.port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await emulator.close();
    },
  };
}

/**
 * How the emulator's runtime and the processes it runs reach it: by the address it listens on (the
 * loopback one if it listens on all), as an IP address, so that SDKs address S3 path-style.
 */
function ownUrl(address: AddressInfo): string {
  if (address.family === 'IPv6') return `http://[${address.address === '::' ? '::1' : address.address}]:${address.port}`;
  return `http://${address.address === '0.0.0.0' ? '127.0.0.1' : address.address}:${address.port}`;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
