// Listening: the emulator app on a TCP port (127.0.0.1 by default; port 0 picks a free one). Off
// loopback only with signatures verified, or when told to with `insecureBind` (which warns).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type EmulatorOptions } from './app';
import { isLoopbackAddress } from './frontDoor';

export interface StartOptions extends Omit<EmulatorOptions, 'frontDoor'> {
  host?: string;
  port?: number;
  /** More names or addresses clients reach it by (`--allow-host`): loopback ones and `host` are always answered. */
  allowHosts?: readonly string[];
  /** Web origins whose pages may call it (`--allow-origin`). */
  allowOrigins?: readonly string[];
  /** Listen on a non-loopback `host` without verifying signatures (`--insecure-bind`): anyone who reaches it runs commands as you. */
  insecureBind?: boolean;
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
  const { host = '127.0.0.1', port = 0, allowHosts, allowOrigins } = options;
  const exposed = !isLoopbackAddress(host);
  if (exposed && !options.verifySignatures?.length) {
    if (!options.insecureBind) {
      throw new Error(
        `refusing to listen on ${host}: anyone who can reach it could run any command as you (a training job runs the command it is given). ` +
          'Add --verify-signatures (with --credentials-file) so that only signed requests are answered, or --insecure-bind if you accept the risk.',
      );
    }
    options.log?.(`WARNING: listening on ${host} without --verify-signatures (--insecure-bind): anyone who can reach this address can run any command as this user.`);
  }
  const emulator = await createApp({ ...options, frontDoor: { listenHost: host, allowHosts, allowOrigins } });
  const server = createServer(emulator.app);
  // Clients (the SDK's agents, the runtime's own S3 client) keep idle sockets without a limit of
  // their own; a server that closes one after Node's default 5 s races a request just sent on it
  // (EPIPE, ECONNRESET). A minute, as load balancers in front of AWS's endpoints keep them, makes
  // the race rare; the runtime's uploads retry it besides.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
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

const KEEP_ALIVE_MS = 60_000;

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
