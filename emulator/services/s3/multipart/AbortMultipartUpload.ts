// S3 AbortMultipartUpload: This operation aborts a multipart upload.
import type { AbortMultipartUploadCommandInput, AbortMultipartUploadCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { removeBlobs } from '../state';
import { discardUploads, requireUploadOf } from './uploads';

/** Drops the upload and its parts, then deletes the parts' bodies. A part still uploading is deleted when it finishes. */
export async function abortMultipartUpload(
  input: AbortMultipartUploadCommandInput,
  context: RequestContext,
): Promise<OperationOutput<AbortMultipartUploadCommandOutput>> {
  const { bucket, upload } = requireUploadOf(context, input);
  const discarded = discardUploads(context.store, bucket.name, [upload.uploadId]);
  await context.store.commit(discarded.changes);
  await removeBlobs(context, discarded.blobs);
  return {};
}
