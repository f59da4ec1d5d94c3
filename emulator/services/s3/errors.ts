// S3 errors that several operations answer with.
import { AwsError } from '../../errors';

export function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
}

export function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
}

export function accessDenied(): AwsError {
  return new AwsError('AccessDenied', 403, 'Access Denied');
}

export function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', 400, message);
}

export function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );
}
