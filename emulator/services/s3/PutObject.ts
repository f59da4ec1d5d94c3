// S3 PutObject: End of support notice: As of October 1, 2025, Amazon S3 has discontinued support for Email
// Grantee Access Control Lists (ACLs).
import type { PutObjectCommandInput, PutObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { objectChecksumMembers } from './checksums';
import { storeBody } from './objectBodies';
import { commitStoredObject, objectHeaders, requireNewObjectTarget } from './state';

export async function putObject(
  input: PutObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<PutObjectCommandOutput>> {
  const { bucket, key } = requireNewObjectTarget(context, input);
  const headers = objectHeaders(input);
  const body = await storeBody(context, input);
  const object = await commitStoredObject(context, bucket.name, key, body, headers);
  return { ETag: object.etag, ...objectChecksumMembers(object.checksum) };
}
