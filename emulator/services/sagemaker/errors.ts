// SageMaker errors that several operations answer with.
import { type AwsError, validationError } from '../../errors';

/**
 * What SageMaker answers when a Describe or Stop operation names a resource that does not exist. Its
 * model lists `ResourceNotFound`, but the service really returns this ValidationException.
 */
export function resourceNotFound(): AwsError {
  return validationError('Requested resource not found.');
}
