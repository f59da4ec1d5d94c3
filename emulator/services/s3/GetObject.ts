// S3 GetObject: Retrieves an object from Amazon S3.
import type { GetObjectCommandInput, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { OperationOutput, RequestContext } from '../../operations';
import { readObject } from './objectReads';

/** The SDK's output type wraps Body for clients; the server side sends a plain stream. */
type GetObjectOutput = Omit<OperationOutput<GetObjectCommandOutput>, 'Body'> & { Body: Readable };

export async function getObject(input: GetObjectCommandInput, context: RequestContext): Promise<GetObjectOutput> {
  const { object, range, output } = readObject(context, input);
  return { ...output, Body: await context.blobs.read(object.body, range) };
}
