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

/** Keeps anything shaped like an access key or a secret out of what is shown or logged. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************')
    .replace(/(aws_secret_access_key|secretAccessKey|X-Amz-Signature|Signature)(["'=:\s]+)[A-Za-z0-9/+=]{16,}/gi, '$1$2****');
}
