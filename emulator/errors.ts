// The one error type of the emulator. Handlers throw it; each protocol serialises it in its own wire
// format (awsJson `__type`/`message`, S3 `<Error>`), so handlers never know about HTTP bodies.
import { excerpt } from './excerpt';

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
 * Any failure as an AwsError. Unexpected ones are logged with their stack and answered with the
 * protocol's internal-error code and no detail, as AWS does.
 */
export function toAwsError(error: unknown, internalCode: string, log: (line: string) => void): AwsError {
  if (error instanceof AwsError) return error;
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new AwsError(internalCode, 500, 'We encountered an internal error. Please try again.');
}
