// S3 HeadObject: The HEAD operation retrieves metadata from an object without returning the object itself.
import type { HeadObjectCommandInput, HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { readObject } from './objectReads';

export async function headObject(
  input: HeadObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<HeadObjectCommandOutput>> {
  return readObject(context, input).output;
}
