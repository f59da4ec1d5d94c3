// Emulator tests (a running emulator, the real AWS SDK v3 clients) of S3 buckets.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  paginateListBuckets,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { s3Client } from '../../../../../harness/emulatorClients';
import { allPages } from '../../../../../harness/waiting';

describe('S3 buckets', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('creates, lists, heads and deletes a bucket', async () => {
    const created = await emulator.s3.send(new CreateBucketCommand({ Bucket: 'lifecycle-bucket' }));
    assert.equal(created.Location, '/lifecycle-bucket');

    const listed = await emulator.s3.send(new ListBucketsCommand({}));
    const bucket = listed.Buckets?.find((entry) => entry.Name === 'lifecycle-bucket');
    assert.ok(bucket, 'the new bucket is listed');
    assert.ok(bucket.CreationDate instanceof Date);
    assert.equal(bucket.BucketRegion, 'us-east-1');
    assert.match(listed.Owner?.ID ?? '', /^[0-9a-f]{64}$/);

    const head = await emulator.s3.send(new HeadBucketCommand({ Bucket: 'lifecycle-bucket' }));
    assert.equal(head.BucketRegion, 'us-east-1');

    await emulator.s3.send(new DeleteBucketCommand({ Bucket: 'lifecycle-bucket' }));
    const error = await rejection(emulator.s3.send(new HeadBucketCommand({ Bucket: 'lifecycle-bucket' })));
    assert.equal(error.name, 'NotFound');
    assert.equal(error.$metadata.httpStatusCode, 404);
  });

  it('answers BucketAlreadyOwnedByYou to the owner and BucketAlreadyExists to other accounts', async () => {
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'taken-bucket' }));
    const again = await rejection(emulator.s3.send(new CreateBucketCommand({ Bucket: 'taken-bucket' })));
    assert.equal(again.name, 'BucketAlreadyOwnedByYou');
    assert.equal(again.$metadata.httpStatusCode, 409);

    const otherAccount = s3Client(emulator.url, { accessKeyId: '111122223333' });
    const taken = await rejection(otherAccount.send(new CreateBucketCommand({ Bucket: 'taken-bucket' })));
    assert.equal(taken.name, 'BucketAlreadyExists');
    assert.equal(taken.$metadata.httpStatusCode, 409);
    const forbidden = await rejection(otherAccount.send(new HeadBucketCommand({ Bucket: 'taken-bucket' })));
    assert.equal(forbidden.$metadata.httpStatusCode, 403);
    const listed = await otherAccount.send(new ListBucketsCommand({}));
    assert.equal(listed.Buckets?.some((bucket) => bucket.Name === 'taken-bucket') ?? false, false);
    otherAccount.destroy();
  });

  it('refuses invalid bucket names', async () => {
    for (const name of ['ab', 'UpperCase', 'under_score', 'a..b', '192.168.1.1', '-leading', 'xn--punycode', 'x'.repeat(64)]) {
      const error = await rejection(emulator.s3.send(new CreateBucketCommand({ Bucket: name })));
      assert.equal(error.name, 'InvalidBucketName', name);
      assert.equal(error.$metadata.httpStatusCode, 400, name);
    }
  });

  it('refuses a location constraint other than the region the request is signed for', async () => {
    const error = await rejection(
      emulator.s3.send(
        new CreateBucketCommand({ Bucket: 'far-away-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
      ),
    );
    assert.equal(error.name, 'IllegalLocationConstraintException');

    const europe = s3Client(emulator.url, { region: 'eu-west-1' });
    await europe.send(new CreateBucketCommand({ Bucket: 'european-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    assert.equal((await europe.send(new HeadBucketCommand({ Bucket: 'european-bucket' }))).BucketRegion, 'eu-west-1');
    europe.destroy();
  });

  it('keeps a bucket with objects: BucketNotEmpty', async () => {
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'file.txt', Body: 'content' }));
    const error = await rejection(emulator.s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    assert.equal(error.name, 'BucketNotEmpty');
    assert.equal(error.$metadata.httpStatusCode, 409);
    await emulator.s3.send(new DeleteObjectCommand({ Bucket: 'full-bucket', Key: 'file.txt' }));
    await emulator.s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' }));
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    const error = await rejection(emulator.s3.send(new DeleteBucketCommand({ Bucket: 'missing-bucket' })));
    assert.equal(error.name, 'NoSuchBucket');
    assert.equal(error.$metadata.httpStatusCode, 404);
  });

  it('pages ListBuckets to the end', async () => {
    const names = Array.from({ length: 7 }, (_, index) => `paged-bucket-${index}`);
    for (const name of names) await emulator.s3.send(new CreateBucketCommand({ Bucket: name }));
    const seen: string[] = [];
    let pages = 0;
    for (const page of await allPages('the buckets paged-bucket-*', paginateListBuckets({ client: emulator.s3, pageSize: 3 }, { Prefix: 'paged-bucket-' }), 4)) {
      pages += 1;
      seen.push(...(page.Buckets ?? []).map((bucket) => bucket.Name ?? ''));
    }
    assert.deepEqual(seen, names);
    assert.equal(pages, 3);
  });
});
