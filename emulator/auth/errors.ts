// How each protocol answers a request whose signature does not verify, in AWS's words. None of the
// messages names a credential.
import { AwsError } from '../errors';
import type { ServiceModel } from '../models';

export interface AuthErrors {
  /** No signature at all. */
  missing(): AwsError;
  /** A signature that cannot be parsed, or one made with another algorithm than AWS4-HMAC-SHA256. */
  malformed(detail: string, inQuery: boolean): AwsError;
  unknownAccessKey(): AwsError;
  signatureMismatch(): AwsError;
  /** The body does not hash to the value the signature covers. */
  payloadHashMismatch(): AwsError;
  /** A header-signed request dated too far from the emulator's clock. */
  skewed(): AwsError;
  /** A presigned URL past its expiry. */
  expired(): AwsError;
  /** Refused at the front door (a Host or Origin the emulator does not answer), whatever the signature. */
  forbidden(message: string): AwsError;
}

export const S3_AUTH_ERRORS: AuthErrors = {
  missing: () => new AwsError('AccessDenied', 403, 'Access Denied'),
  malformed: (detail, inQuery) =>
    inQuery
      ? new AwsError('AuthorizationQueryParametersError', 400, detail)
      : new AwsError('AuthorizationHeaderMalformed', 400, `The authorization header is malformed; ${detail}`),
  unknownAccessKey: () => new AwsError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
  signatureMismatch: () =>
    new AwsError('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'),
  payloadHashMismatch: () => new AwsError('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
  skewed: () => new AwsError('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'),
  expired: () => new AwsError('AccessDenied', 403, 'Request has expired'),
  forbidden: (message) => new AwsError('AccessDenied', 403, message),
};

/** The JSON protocols' refusals, also those of the emulator's own controls (`/_emulator/`). */
export const JSON_AUTH_ERRORS: AuthErrors = {
  missing: () => new AwsError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  malformed: (detail) => new AwsError('IncompleteSignatureException', 400, detail),
  unknownAccessKey: () => new AwsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
  signatureMismatch: () =>
    new AwsError(
      'InvalidSignatureException',
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  payloadHashMismatch: () => JSON_AUTH_ERRORS.signatureMismatch(),
  skewed: () => new AwsError('InvalidSignatureException', 403, 'Signature expired: the request time is too far from the current time.'),
  expired: () => new AwsError('InvalidSignatureException', 403, 'Signature expired: the presigned request is past its expiry.'),
  forbidden: (message) => new AwsError('AccessDeniedException', 403, message),
};

/** S3 wants `x-amz-content-sha256` in every header-signed request. */
export function missingContentSha256(): AwsError {
  return new AwsError('InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
}

export function invalidContentSha256(): AwsError {
  return new AwsError(
    'InvalidArgument',
    400,
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
  );
}

/** S3 (REST-XML) has its own codes; the JSON protocols share theirs. */
export function authErrors(model: ServiceModel): AuthErrors {
  return model.protocol === 'rest-xml' ? S3_AUTH_ERRORS : JSON_AUTH_ERRORS;
}
