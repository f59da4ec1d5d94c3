// Turns whatever a load failed with into what the user can do about it. Pure, unit-tested.
import { SettingsError } from '../connection/settings';

export type FailureKind = 'settings' | 'unreachable' | 'credentials' | 'other';

export interface Failure {
  kind: FailureKind;
  message: string;
  /** The setting to fix, for `settings` failures. */
  setting?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'TokenProviderError',
]);

export function classifyFailure(error: unknown): Failure {
  if (error instanceof SettingsError) {
    return { kind: 'settings', message: error.message, setting: error.setting };
  }
  const failure = error as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
  const message = redact(failure?.message ?? String(error));
  if (
    (failure?.code && NETWORK_CODES.has(failure.code)) ||
    failure?.name === 'TimeoutError' ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|socket hang up/.test(message)
  ) {
    return { kind: 'unreachable', message };
  }
  if (failure?.name && CREDENTIAL_ERRORS.has(failure.name)) {
    return { kind: 'credentials', message };
  }
  return { kind: 'other', message };
}

/**
 * What follows a name and separates it from its value: `name=v`, `name: v`, `"name": "v"` (an `=` or
 * a `:` is needed, so that AWS's own wording, "Signature expired", stays as it is).
 */
const SEPARATOR = String.raw`(["']?\s*[=:]\s*["']?)`;
/** Secrets, session tokens and signatures in any of the shapes they appear in: ini, env, JSON, query strings, headers. */
const SECRET = new RegExp(
  String.raw`(secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|signature)${SEPARATOR}[A-Za-z0-9/+=%_.\-]{16,}`,
  'gi',
);
/** A credential scope names its access key id: `X-Amz-Credential=AKID%2F20240101%2F…`, `Credential=AKID/…`, SigV2's `AWSAccessKeyId=`. */
const CREDENTIAL = new RegExp(String.raw`(credential|awsaccesskeyid)${SEPARATOR}[^\s&"',;]+`, 'gi');

/** Keeps anything shaped like an access key, a secret, a session token or a signed credential out of what is shown or logged. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************')
    .replace(SECRET, '$1$2****')
    .replace(CREDENTIAL, '$1$2****');
}
