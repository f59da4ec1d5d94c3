// CloudWatch's errors, in its words. Codes are the model's error shapes; the query protocol and the
// `x-amzn-query-error` header name them by their query codes (InvalidParameterValue, …).
import { AwsError } from '../../errors';

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', 400, message);
}

/** CloudWatch's most common wording: `The value X for parameter Y is invalid.` */
export function invalidValue(value: unknown, parameter: string): AwsError {
  return invalidParameterValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);
}

export function invalidParameterCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombinationException', 400, message);
}

export function missingParameter(message: string): AwsError {
  return new AwsError('MissingRequiredParameterException', 400, message);
}

/** Model violations and a few checks of the same kind: ValidationException, whose query code is ValidationError. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', 400, message);
}

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 400, 'The service cannot process the NextToken. Verify the NextToken and try again.');
}
