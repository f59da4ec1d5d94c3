// Which service a request is for, and on behalf of which account and region — decided as AWS's front
// ends do, but from one host: first the SigV4 signing name in the credential scope, then the
// `X-Amz-Target` prefix, then the path (`/endpoints/...` is SageMaker Runtime, the rest S3 path-style).
// A request signed for a service the emulator does not speak is routed as such, to be answered in
// that service's own protocol (protocols/unknownService.ts), never as S3.
import type { IncomingHttpHeaders } from 'node:http';
import { type ServiceName, serviceModels } from './models';

export const DEFAULT_REGION = 'us-east-1';

export interface RequestHead {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

export type Route =
  | { kind: 'service'; service: ServiceName; accountId: string; region: string; accessKeyId?: string }
  /** An `X-Amz-Target` naming no service the emulator knows. */
  | { kind: 'unknownTarget'; target: string }
  /** Signed for a service the emulator does not speak (its SigV4 signing name). */
  | { kind: 'unknownService'; signingName: string }
  /** Emulator-only controls under `/_emulator/`. */
  | { kind: 'emulator'; path: string };

interface CredentialScope {
  accessKeyId: string;
  region: string;
  signingName: string;
}

/** SageMaker Runtime's operations (`InvokeEndpoint...`) all live under this path; it signs as `sagemaker`. */
const RUNTIME_PATH = /^\/endpoints\/[^/]+\/(?:async-)?invocations/;
const EMULATOR_PATH = /^\/_emulator(?:\/|$)/;
const SCOPE = /^([^/]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;
const ACCOUNT_ID = /^\d{12}$/;

export function splitUrl(url: string | undefined): { path: string; query: URLSearchParams } {
  const text = url ?? '/';
  const mark = text.indexOf('?');
  const path = mark === -1 ? text : text.slice(0, mark);
  return { path: path || '/', query: new URLSearchParams(mark === -1 ? '' : text.slice(mark + 1)) };
}

export function resolveRoute(request: RequestHead, defaultAccountId: string): Route {
  const { path, query } = splitUrl(request.url);
  if (EMULATOR_PATH.test(path)) return { kind: 'emulator', path };

  const scope = credentialScope(request.headers, query);
  const target = header(request.headers, 'x-amz-target');
  const service = serviceBySigningName(scope?.signingName, path) ?? serviceByTarget(target);
  if (!service && target) return { kind: 'unknownTarget', target };
  if (!service && scope) return { kind: 'unknownService', signingName: scope.signingName };
  return {
    kind: 'service',
    service: service ?? (RUNTIME_PATH.test(path) ? 'sagemaker-runtime' : 's3'),
    // The access key id names the account when it looks like one, so tests can act as several accounts.
    accountId: scope && ACCOUNT_ID.test(scope.accessKeyId) ? scope.accessKeyId : defaultAccountId,
    region: scope?.region ?? DEFAULT_REGION,
    ...(scope && { accessKeyId: scope.accessKeyId }),
  };
}

/** From `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...` or a presigned URL. */
function credentialScope(headers: IncomingHttpHeaders, query: URLSearchParams): CredentialScope | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(header(headers, 'authorization') ?? '')?.[1] ?? query.get('X-Amz-Credential') ?? '';
  const match = SCOPE.exec(credential);
  return match ? { accessKeyId: match[1], region: match[2], signingName: match[3] } : undefined;
}

function serviceBySigningName(signingName: string | undefined, path: string): ServiceName | undefined {
  if (signingName === undefined) return undefined;
  const services = (Object.keys(serviceModels) as ServiceName[]).filter(
    (service) => serviceModels[service].signingName === signingName,
  );
  if (services.length <= 1) return services[0];
  // SageMaker and its runtime share the signing name; the runtime is the one with a path.
  return RUNTIME_PATH.test(path) ? 'sagemaker-runtime' : 'sagemaker';
}

function serviceByTarget(target: string | undefined): ServiceName | undefined {
  if (target === undefined) return undefined;
  const prefix = target.split('.', 1)[0];
  return (Object.keys(serviceModels) as ServiceName[]).find((service) => serviceModels[service].targetPrefix === prefix);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
