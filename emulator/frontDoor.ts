// The emulator's front door: which requests it answers at all, decided before any service sees
// them. Whoever can drive the emulator can run any command as its user (a training job's
// ContainerEntrypoint is any command), so a web page the user visits must not be able to:
// - Host: only requests addressed to a loopback name or address (localhost, *.localhost,
//   127.0.0.0/8, ::1), to the address it listens on, or to a name given with --allow-host. A page
//   that rebinds its own DNS name to 127.0.0.1 still sends that name, so DNS rebinding fails here.
// - Origin: browsers send it with every cross-origin request and every non-GET one; real AWS
//   clients (SDKs, CLIs, rclone, s3cmd) never do. A request with an Origin is refused unless the
//   origin was allowed with --allow-origin; allowed origins get CORS headers, so their pages work.
// - Sec-Fetch-Site: what browsers say of requests that carry no Origin (an <img> or <script> GET):
//   `cross-site`/`same-site` ones are refused the same way.
import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { excerpt } from './excerpt';

export interface FrontDoorOptions {
  /** The address the server listens on (`--host`): requests addressed to it are answered too. */
  listenHost?: string;
  /** More names or addresses clients reach the emulator by (`--allow-host`). */
  allowHosts?: readonly string[];
  /** Web origins whose pages may call the emulator (`--allow-origin`), e.g. `http://localhost:3000`. */
  allowOrigins?: readonly string[];
}

export type Admission =
  /** `corsOrigin`: an allowed web origin, to be named in the response's CORS headers. */
  | { admitted: true; corsOrigin?: string }
  | { admitted: false; reason: string };

const LOOPBACK_NAMES = 'localhost, *.localhost, 127.0.0.0/8 and [::1]';

export class FrontDoor {
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(options: FrontDoorOptions = {}) {
    const listening = options.listenHost !== undefined && !isUnspecifiedAddress(options.listenHost) ? [options.listenHost] : [];
    // A port given with a name (`devbox:4590`) does not matter: the name does.
    this.hosts = new Set([...listening, ...(options.allowHosts ?? [])].map(hostNameOf).filter((name) => !isLoopbackHostName(name)));
    this.origins = new Set((options.allowOrigins ?? []).map(normalizedOrigin));
  }

  admit(headers: IncomingHttpHeaders): Admission {
    const host = headers.host;
    if (!host) return { admitted: false, reason: 'The request has no Host header: the emulator answers only requests addressed to it by name.' };
    const name = hostNameOf(host);
    if (!isLoopbackHostName(name) && !this.hosts.has(name)) {
      return {
        admitted: false,
        reason:
          `The emulator answers only requests addressed to ${LOOPBACK_NAMES}${this.hosts.size ? `, ${[...this.hosts].join(', ')}` : ''}, ` +
          `not to "${excerpt(host)}" (a web page can rebind a name of its own to this machine). ` +
          `If you reach the emulator by this name, start it with --allow-host ${excerpt(name)}.`,
      };
    }
    const origin = headerText(headers.origin);
    if (origin !== undefined) {
      const normalized = tryNormalizedOrigin(origin);
      if (normalized !== undefined && this.origins.has(normalized)) return { admitted: true, corsOrigin: normalized };
      return {
        admitted: false,
        reason:
          `The emulator does not answer web pages: this request comes from the origin "${excerpt(origin)}". ` +
          `If pages from there should use the emulator, start it with --allow-origin ${excerpt(normalized ?? origin)}.`,
      };
    }
    const site = headerText(headers['sec-fetch-site']);
    if (site === 'cross-site' || site === 'same-site') {
      return {
        admitted: false,
        reason: `The emulator does not answer web pages: the browser marks this request Sec-Fetch-Site: ${site}. If a page should use the emulator, start it with --allow-origin <the page's origin>.`,
      };
    }
    return { admitted: true };
  }
}

/** The headers that let an allowed origin's page read the answer (and send the next request). */
export function corsHeaders(origin: string, preflight?: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': '*' };
  if (preflight) {
    headers['Access-Control-Allow-Methods'] = 'GET, HEAD, PUT, POST, DELETE';
    headers['Access-Control-Allow-Headers'] = headerText(preflight['access-control-request-headers']) ?? '*';
    headers['Access-Control-Max-Age'] = '600';
  }
  return headers;
}

/** A CORS preflight: OPTIONS asking whether a method may be used. */
export function isPreflight(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}

/** Whether binding to `host` keeps the emulator to this machine. */
export function isLoopbackAddress(host: string): boolean {
  return isLoopbackHostName(normalizedHostName(host));
}

function isUnspecifiedAddress(host: string): boolean {
  const name = normalizedHostName(host);
  return name === '0.0.0.0' || name === '::';
}

function isLoopbackHostName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (isIPv6(name)) return name === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(name);
  return false;
}

/** `example.com:4590` → `example.com`, `[::1]:4590` → `::1`; lower case, no trailing dot, IPv6 canonical. */
function hostNameOf(host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
  if (bracketed) return normalizedHostName(bracketed[1]);
  const colon = host.indexOf(':');
  return normalizedHostName(colon !== -1 && colon === host.lastIndexOf(':') ? host.slice(0, colon) : host);
}

function normalizedHostName(name: string): string {
  const bare = name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (!isIPv6(bare)) return bare;
  // The URL parser writes an IPv6 address in its one canonical form (`::1`, `::ffff:7f00:1`).
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

function normalizedOrigin(origin: string): string {
  const normalized = tryNormalizedOrigin(origin);
  if (normalized === undefined) throw new Error(`--allow-origin takes a web origin such as http://localhost:3000, not "${origin}"`);
  return normalized;
}

function tryNormalizedOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
