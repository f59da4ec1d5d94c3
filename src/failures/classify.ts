// The one classification of everything that can fail when the extension calls AWS or the emulator:
// what kind of failure it is (network, credentials or an expired SSO session, throttling, a missing
// or taken resource, a refused request, a server error, settings), a title that names the resource
// and where it is, a message without raw socket codes, and the next steps as ids every surface turns
// into the same buttons. Pure (no `vscode`), unit-tested; webviews render its result as it is.
import { isServerError, isThrottlingError } from '@smithy/core/retry';
import { redact } from '../aws/errors';
import { SettingsError, type ConnectionSettings } from '../connection/settings';
import type { NextStep } from './nextSteps';
import { describeResource, RESOURCE_KINDS, resourceOf, type ResourceRef } from './resources';

export type FailureKind =
  | 'settings'
  | 'unreachable'
  | 'credentials'
  | 'accessDenied'
  | 'throttled'
  | 'notFound'
  | 'alreadyExists'
  | 'refused'
  | 'serviceError'
  | 'other';

/** A classified failure: plain data, so panels and webviews can carry it as it is. */
export interface Failure {
  kind: FailureKind;
  /** One line naming what failed and where: "Training job foo was not found in us-east-1". */
  title: string;
  /** Why, in words (credentials redacted, no raw socket codes). */
  message: string;
  /** What the user can do, the first being the one a view's error node runs. */
  steps: NextStep[];
  /** For `settings` failures: the setting to fix. */
  setting?: string;
  /** The service's error code, when it gave one. */
  code?: string;
}

export interface FailureContext {
  /** Where the call went; undefined when the settings themselves are invalid. */
  settings?: ConnectionSettings;
  /** What the call was about, when the error does not carry it (see `about`). */
  resource?: ResourceRef;
  /** What was being done, for the title of failures that name nothing else: "load training jobs". */
  doing?: string;
  /** The step that brings a local emulator back: Restart for one of ours that ran, else Start. */
  emulatorStep?: 'startEmulator' | 'restartEmulator';
}

/** Socket and DNS errors, worded. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ECONNRESET: 'the connection was cut',
  EPIPE: 'the connection was cut',
  ETIMEDOUT: 'no answer in time',
  TimeoutError: 'no answer in time',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'no route to the host',
  'socket hang up': 'the connection was cut',
};

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'TokenProviderError',
]);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'Forbidden']);
const NOT_FOUND = new Set(['ResourceNotFound', 'ResourceNotFoundException', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchUpload', 'ObjectNotFound', 'ObjectNotFoundException']);
const ALREADY_EXISTS = new Set(['ResourceInUse', 'ResourceInUseException', 'ResourceAlreadyExistsException', 'BucketAlreadyExists', 'BucketAlreadyOwnedByYou']);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  errors?: unknown[];
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function classifyFailure(error: unknown, context: FailureContext = {}): Failure {
  if (error instanceof SettingsError) {
    return { kind: 'settings', title: 'Invalid connection setting', message: error.message, steps: ['openSettings'], setting: error.setting };
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const serviceMessage = redact(shape.message ?? String(error));
  const code = shape.name && shape.name !== 'Error' ? shape.name : undefined;
  const resource = resourceOf(error) ?? context.resource;
  const settings = context.settings;
  const region = settings?.region ?? 'this region';

  const network = networkReason(error);
  if (network) return unreachable(network, context);

  if (code && (CREDENTIAL_ERRORS.has(code) || /sso/i.test(code))) {
    const profile = (settings?.mode === 'aws' && settings.profile) || 'default';
    if (/sso/i.test(`${code} ${serviceMessage}`)) {
      return {
        kind: 'credentials',
        title: `The SSO session of profile ${profile} has expired or is not signed in`,
        message: `Sign in with \`aws sso login --profile ${profile}\`, then retry. (${serviceMessage})`,
        steps: ['retry', 'switchConnection'],
        code,
      };
    }
    return {
      kind: 'credentials',
      title: `No valid AWS credentials for profile ${profile}`,
      message: serviceMessage,
      steps: ['switchConnection', 'retry'],
      code,
    };
  }
  const service = (text: string) => (code ? `${code}: ${text}` : text);
  const status = shape.$metadata?.httpStatusCode;
  const attempts = shape.$metadata?.attempts;
  // The SDK's own tests of its errors read their fields: only an object can be one.
  const sdkError = typeof error === 'object' && error !== null ? (error as never) : undefined;
  if ((sdkError && isThrottlingError(sdkError)) || status === 429) {
    return {
      kind: 'throttled',
      title: context.doing ? `Too many requests: could not ${context.doing}` : `Requests are being throttled in ${region}`,
      message: `${service(serviceMessage)}${attempts && attempts > 1 ? ` (still refused after ${attempts} attempts)` : ''}. Wait a little, then retry.`,
      steps: ['retry'],
      code,
    };
  }
  if (code && ACCESS_DENIED.has(code)) {
    return {
      kind: 'accessDenied',
      title: resource ? `Access to ${lowerFirst(describeResource(resource))} was denied` : `Access denied${context.doing ? `: could not ${context.doing}` : ''}`,
      message: service(serviceMessage),
      steps: ['switchConnection'],
      code,
    };
  }
  if (isNotFound(code, serviceMessage, status)) {
    const view = resource ? RESOURCE_KINDS[resource.kind].view : undefined;
    return {
      kind: 'notFound',
      title: resource ? `${describeResource(resource)} was not found in ${region}` : context.doing ? `Could not ${context.doing}: not found in ${region}` : `Not found in ${region}`,
      message: service(serviceMessage),
      steps: view ? [view] : [],
      code,
    };
  }
  if ((code && ALREADY_EXISTS.has(code)) || /already exist/i.test(serviceMessage)) {
    return {
      kind: 'alreadyExists',
      title: resource ? `${describeResource(resource)} already exists in ${region}` : `Could not ${context.doing ?? 'create it'}: the name is taken`,
      message: service(serviceMessage),
      steps: [],
      code,
    };
  }
  if ((sdkError && isServerError(sdkError)) || shape.$fault === 'server' || (status !== undefined && status >= 500)) {
    return {
      kind: 'serviceError',
      title: context.doing ? `Could not ${context.doing}: the service failed` : resource ? `The service failed on ${lowerFirst(describeResource(resource))}` : 'The service failed',
      message: `${service(serviceMessage)}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}`,
      steps: ['retry'],
      code,
    };
  }
  if (shape.$fault === 'client' || (status !== undefined && status >= 400)) {
    return {
      kind: 'refused',
      title: context.doing ? `Could not ${context.doing}` : resource ? `The request on ${lowerFirst(describeResource(resource))} was refused` : 'The request was refused',
      message: service(serviceMessage),
      steps: [],
      code,
    };
  }
  return {
    kind: 'other',
    title: context.doing ? `Could not ${context.doing}` : resource ? `Failed on ${lowerFirst(describeResource(resource))}` : 'Something failed',
    message: serviceMessage,
    steps: [],
    ...(code ? { code } : {}),
  };
}

/** The title and message as one sentence, for notifications and log lines. */
export function failureText(failure: Failure): string {
  return failure.message ? `${failure.title}. ${failure.message}`.replace(/\.\.(\s|$)/g, '.$1') : failure.title;
}

function unreachable(reason: string, context: FailureContext): Failure {
  const settings = context.settings;
  if (settings?.mode === 'emulator') {
    const url = new URL(settings.endpoint);
    const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
    return {
      kind: 'unreachable',
      title: `Cannot reach the local emulator at ${url.host}`,
      message: `Nothing answered at ${settings.endpoint} (${reason}).`,
      steps: local ? [context.emulatorStep ?? 'startEmulator', 'switchConnection'] : ['openSettings', 'switchConnection'],
      ...(local ? {} : { setting: 'sagemaker.emulator.url' }),
    };
  }
  return {
    kind: 'unreachable',
    title: `Cannot reach AWS in ${settings?.region ?? 'this region'}`,
    message: `The AWS endpoint did not answer (${reason}). Check the network, a proxy or VPN.`,
    steps: ['retry', 'switchConnection'],
  };
}

/** The worded reason of a socket or DNS failure anywhere in the error's causes, if it is one. */
function networkReason(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const shape = error as ErrorShape;
  for (const key of [shape.code, shape.name]) {
    if (key && NETWORK_REASONS[key]) return NETWORK_REASONS[key];
  }
  const match = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up)\b/.exec(shape.message ?? '');
  if (match && shape.$metadata?.httpStatusCode === undefined) return NETWORK_REASONS[match[1]];
  for (const inner of [shape.cause, ...(Array.isArray(shape.errors) ? shape.errors : [])]) {
    const reason = networkReason(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

function isNotFound(code: string | undefined, message: string, status: number | undefined): boolean {
  if (code && NOT_FOUND.has(code)) return true;
  if ((code === 'ValidationException' || code === 'ValidationError') && /not found|could not find|does not exist/i.test(message)) return true;
  return status === 404 && !code;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
