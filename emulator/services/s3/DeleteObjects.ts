// S3 DeleteObjects: This operation enables you to delete multiple objects from a bucket using a single HTTP
// request.
import type { DeleteObjectsCommandInput, DeleteObjectsCommandOutput, DeletedObject, _Error } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { malformedXml } from '../../protocols/xml';
import { removeObjects, requireBucket } from './state';

const MAX_KEYS = 1000;

/**
 * Deletes up to 1000 keys in one transaction. A missing key counts as deleted, as in DeleteObject; a
 * version other than `null` (the only version an unversioned bucket has) fails for its key alone.
 * Quiet mode reports the failures only.
 */
export async function deleteObjects(
  input: DeleteObjectsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteObjectsCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  const requested = input.Delete?.Objects ?? [];
  if (requested.length === 0 || requested.length > MAX_KEYS || requested.some((object) => object.Key === undefined)) throw malformedXml();
  const deleted: DeletedObject[] = [];
  const errors: _Error[] = [];
  for (const { Key: key, VersionId: versionId } of requested) {
    if (versionId === undefined || versionId === 'null') deleted.push({ Key: key, VersionId: versionId });
    else errors.push({ Key: key, VersionId: versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
  }
  await removeObjects(context, bucket.name, deleted.map((object) => object.Key ?? ''));
  return {
    Deleted: input.Delete?.Quiet || deleted.length === 0 ? undefined : deleted,
    Errors: errors.length > 0 ? errors : undefined,
  };
}
