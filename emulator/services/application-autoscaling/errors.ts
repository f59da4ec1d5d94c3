// Application Auto Scaling errors that several operations answer with, in its words.
import { AwsError, validationError } from '../../errors';
import { describeTarget, type TargetId } from './targets';

export function targetNotFound(target: TargetId): AwsError {
  return new AwsError('ObjectNotFoundException', 400, `No scalable target found for ${describeTarget(target)}`);
}

export function targetNotRegistered(target: TargetId): AwsError {
  return new AwsError('ObjectNotFoundException', 400, `No scalable target registered for ${describeTarget(target)}`);
}

export function policyNotFound(target: TargetId, policyName: string): AwsError {
  return new AwsError('ObjectNotFoundException', 400, `No scaling policy found for ${describeTarget(target)}, policy name: ${policyName}`);
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextTokenException', 400, 'Invalid NextToken');
}

/** The page size of a Describe* request: AWS documents a bound per operation that its model does not carry. */
export function pageSize(maxResults: number | undefined, max: number): number {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > max)) {
    const bound = maxResults < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`;
    throw validationError(`1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`);
  }
  return maxResults ?? max;
}

/** Describe* filters: a dimension narrows a resource, so it needs one. */
export function assertDimensionHasResource(filters: { resourceGiven: boolean; scalableDimension?: string }): void {
  if (filters.scalableDimension !== undefined && !filters.resourceGiven) {
    throw validationError('If you specify a scalable dimension, you must also specify a resource ID.');
  }
}
