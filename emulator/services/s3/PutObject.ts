import type { PutObjectCommandInput, PutObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { objectChecksumMembers } from './checksums';
import { storeBody } from './objectBodies';
import { checkKeyLength, commitStoredObject, type ObjectRecord, objectHeaders, requireBucket } from './state';

export async function putObject(
  input: PutObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<PutObjectCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  const key = input.Key ?? '';
  checkKeyLength(key);
  const headers = objectHeaders(input);
  const body = await storeBody(context, input);
  const object: ObjectRecord = {
    key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: context.now().getTime(),
    body: [{ name: body.blob, size: body.size }],
    ...headers,
    checksum: body.checksum && { ...body.checksum, type: 'FULL_OBJECT' },
  };
  await commitStoredObject(context, bucket.name, object);
  return { ETag: object.etag, ...objectChecksumMembers(object.checksum) };
}
