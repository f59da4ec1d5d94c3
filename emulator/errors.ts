// The one error type of the emulator. Handlers throw it; each protocol serialises it in its own wire
// format (awsJson `__type`/`message`, S3 `<Error>`), so handlers never know about HTTP bodies.
import { excerpt } from './excerpt';
import type { ServiceName } from './models';
import { isStorageUnavailable } from './store/storageHealth';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra fields some S3 errors carry, e.g. `BucketName` or `Key`. */
    readonly details: Readonly<Record<string, string>> = {},
    /** Typed members of a JSON error shape beyond its message, e.g. ModelError's `OriginalStatusCode`. */
    readonly fields: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** The code and status AWS uses when a request fails its model's constraints. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', 400, message);
}

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', 400, message);
}

export function unknownOperation(target: string): AwsError {
  return new AwsError('UnknownOperationException', 400, `Unknown operation ${excerpt(target)}`);
}

/** An operation that exists in the AWS API model but that the emulator does not implement (yet). */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError('NotImplemented', 501, `${service} operation ${operation} is not implemented by the emulator`);
}

/**
 * What each service answers when the emulator's disk cannot take a write (full, over quota,
 * read-only): a 503, which the SDKs retry with backoff. S3 documents `SlowDown` (503, "Please
 * reduce your request rate."); CloudWatch Logs models `ServiceUnavailableException`; SageMaker
 * Runtime models `ServiceUnavailable` (503), which is also the common error of the other services.
 */
const STORAGE_UNAVAILABLE_CODES: Readonly<Record<ServiceName, string>> = {
  s3: 'SlowDown',
  logs: 'ServiceUnavailableException',
  sagemaker: 'ServiceUnavailable',
  'sagemaker-runtime': 'ServiceUnavailable',
  'application-autoscaling': 'ServiceUnavailable',
  cloudwatch: 'ServiceUnavailable',
  sts: 'ServiceUnavailable',
};

/** The retryable refusal of a write the emulator's disk cannot take, in the service's words. */
export function storageUnavailable(service: ServiceName, error: unknown): AwsError {
  const code = STORAGE_UNAVAILABLE_CODES[service];
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = `The emulator cannot store this change now: its data directory refuses writes (${(cause as Error).message}). Reads still work; free some space and try again.`;
  return new AwsError(code, 503, code === 'SlowDown' ? `Please reduce your request rate. ${detail}` : detail);
}

/**
 * Any failure as an AwsError. A write the disk cannot take is the service's retryable 503 (see
 * storageUnavailable). Unexpected failures are logged with their stack and answered with the
 * protocol's internal-error code and no detail, as AWS does.
 */
export function toAwsError(error: unknown, internalCode: string, log: (line: string) => void, service?: ServiceName): AwsError {
  if (error instanceof AwsError) return error;
  if (service && isStorageUnavailable(error)) return storageUnavailable(service, error);
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new AwsError(internalCode, 500, 'We encountered an internal error. Please try again.');
}
