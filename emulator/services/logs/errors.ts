// CloudWatch Logs errors that several operations answer with, in its words.
import { AwsError } from '../../errors';

export function logGroupNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
}

export function logStreamNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');
}

/** CloudWatch Logs answers bad input, model constraints included, with this code rather than ValidationException. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', 400, message);
}

export function invalidNextToken(): AwsError {
  return invalidParameter('The specified nextToken is invalid.');
}
