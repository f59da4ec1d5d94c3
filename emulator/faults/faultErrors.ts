// What injected faults answer, in each service's own words, so that the SDKs treat them as they treat
// AWS's: throttling is a code both the SDK v3's standard retry (`THROTTLING_ERROR_CODES` in
// @smithy/core/retry) and botocore's (`_THROTTLED_ERROR_CODES` in retries/standard.py, the
// `throttling*` policies of data/_retry.json) retry with backoff; S3's InternalError is a 500, which
// both retry as a transient error. Evidence for each wording is in emulator/README.md ("Faults").
import { AwsError } from '../errors';
import type { ServiceName } from '../models';

/** The S3 errors the s3-error fault injects. */
export const S3_FAULT_CODES = ['SlowDown', 'InternalError'] as const;
export type S3FaultCode = (typeof S3_FAULT_CODES)[number];

/**
 * A throttled request. SageMaker, SageMaker Runtime, CloudWatch Logs and Application Auto Scaling
 * answer `ThrottlingException` (400, "Rate exceeded"); CloudWatch the same shape, whose query code
 * is `Throttling` (awsQuery.ts names it so in `x-amzn-query-error` and in query-protocol answers);
 * S3 throttles with `SlowDown` (503).
 */
export function throttlingError(service: ServiceName): AwsError {
  if (service === 's3') return s3FaultError('SlowDown');
  return new AwsError('ThrottlingException', 400, 'Rate exceeded');
}

/** S3's own wording of the two, from its error-code list. */
export function s3FaultError(code: S3FaultCode): AwsError {
  return code === 'SlowDown'
    ? new AwsError('SlowDown', 503, 'Please reduce your request rate.')
    : new AwsError('InternalError', 500, 'We encountered an internal error. Please try again.');
}

/**
 * The FailureReason of a training job whose instance failed: SageMaker's words for a failure on its
 * side (seen in aws/sagemaker-python-sdk#70, aws/sagemaker-spark#76, aws/sagemaker-python-sdk#2496).
 */
export const INSTANCE_FAILURE_REASON = 'InternalServerError: We encountered an internal error. Please try again.';

/**
 * The status message while a managed spot job whose instance failed is repaired and restarted from
 * its checkpoint: SageMaker's words for its cluster repair ("Cluster repairs for GPU errors",
 * docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints-cluster-repair.html).
 */
export const CLUSTER_REPAIR_MESSAGE = 'Repairing training cluster due to hardware failure';
