import type { PutObjectCommandInput, PutObjectCommandOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { checksumMember } from './checksums';
import { storeBody } from './objectBodies';
import { commitObject, type ObjectRecord, requireBucket } from './state';

const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

export async function putObject(
  input: PutObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<PutObjectCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  const key = input.Key ?? '';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 400, 'Your key is too long', { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }
  const metadata = input.Metadata ?? {};
  if (Object.entries(metadata).reduce((total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value), 0) > MAX_METADATA_BYTES) {
    throw new AwsError('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.');
  }
  const body = await storeBody(context, input);
  const object: ObjectRecord = {
    key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: context.now().getTime(),
    blob: body.blob,
    contentType: input.ContentType ?? 'binary/octet-stream',
    contentEncoding: input.ContentEncoding,
    contentDisposition: input.ContentDisposition,
    contentLanguage: input.ContentLanguage,
    cacheControl: input.CacheControl,
    expires: input.Expires?.getTime(),
    metadata,
    checksum: body.checksum,
  };
  await commitObject(context, bucket.name, object);
  return {
    ETag: object.etag,
    ...(body.checksum && { [checksumMember(body.checksum.algorithm)]: body.checksum.value, ChecksumType: 'FULL_OBJECT' }),
  };
}
