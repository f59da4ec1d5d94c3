// The S3 bucket to act on: the account's buckets, or a name typed in.
import { listBuckets } from '../pipeline/datasets';
import type { Services } from '../services';
import { pickResource } from './pickResource';

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Why `name` is not a valid bucket name, if it is not. */
export function bucketNameProblem(name: string): string | undefined {
  return BUCKET_NAME.test(name) && !name.includes('..')
    ? undefined
    : '3–63 characters: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit';
}

export async function pickBucket(services: Pick<Services, 'connection'>, options: { title: string }): Promise<string | undefined> {
  const { connection } = services;
  return pickResource({
    title: options.title,
    placeholder: 'Bucket name',
    load: async () =>
      (await listBuckets(await connection.clients.s3())).map((bucket) => ({
        label: bucket.name,
        description: bucket.createdAt ? `created ${bucket.createdAt.toLocaleDateString()}` : undefined,
        resource: bucket.name,
      })),
    typed: (name) => name,
    validate: bucketNameProblem,
    nothingListed: 'No S3 buckets yet.',
  });
}
