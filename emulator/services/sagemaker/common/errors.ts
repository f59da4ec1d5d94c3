// SageMaker errors that several operations answer with. SageMaker's model lists `ResourceNotFound` and
// `ResourceInUse`, but for most resources the service really answers ValidationException.
import { AwsError, validationError } from '../../../errors';

/** Describe or Stop of a training job that does not exist. */
export function resourceNotFound(): AwsError {
  return validationError('Requested resource not found.');
}

/** Describe or Stop of a processing or transform job that does not exist. */
export function jobNotFound(name: string): AwsError {
  return validationError(`Could not find requested job with name ${name}`);
}

/** Describe, Update or Delete of a model package or model package group that does not exist. */
export function doesNotExist(noun: string, name: string): AwsError {
  return validationError(`${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${name} does not exist.`);
}

/** Describe, Update or Delete of a hosting or registry resource that does not exist. */
export function couldNotFind(noun: string, arn: string): AwsError {
  return validationError(`Could not find ${noun} "${arn}".`);
}

/** Create of a hosting or registry resource whose name is taken. */
export function cannotCreateExisting(noun: string, arn: string): AwsError {
  return validationError(`Cannot create already existing ${noun} "${arn}".`);
}

/** Create of a job whose name is taken. */
export function jobNameInUse(noun: string, arn: string): AwsError {
  const capitalized = noun.charAt(0).toUpperCase() + noun.slice(1);
  return new AwsError(
    'ResourceInUse',
    400,
    `${capitalized} names must be unique within an AWS account and region, and a ${noun} with this name already exists (${arn})`,
  );
}
