// What other S3 clients than the SDK v3 rely on, through the SDK's own commands (and the AWS CLI's
// paging of ListObjects): ListObjects (version 1) with Marker, NextMarker, Delimiter, EncodingType
// and MaxKeys; XML request bodies with numeric character references (Go's encoder writes an ETag's
// quotes as &#34;); and the bucket configuration reads clients probe, answered as S3 answers for a
// bucket with no configuration.
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  CopyObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli } from '../../awsCli';
import { authorization, patterned, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { s3Client } from '../../../../harness/emulatorClients';

const BUCKET = 'compat-bucket';
/** In S3's order: UTF-8 bytes, so 'a b/' (space) before 'a/'. */
const KEYS = ['a b/3.txt', 'a/1.txt', 'a/2.txt', 'b/4.txt', 'b/5.txt', 'c+d.txt', 'e.txt', 'é/6.txt'];

describe('S3 ListObjects (version 1)', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of KEYS) await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
  });
  after(() => emulator.close());

  const list = (input: Partial<ConstructorParameters<typeof ListObjectsCommand>[0]> = {}) =>
    emulator.s3.send(new ListObjectsCommand({ Bucket: BUCKET, ...input }));

  it('lists every key with its owner, and echoes an empty Marker', async () => {
    const result = await list();
    assert.deepEqual(result.Contents?.map((object) => object.Key), KEYS);
    assert.equal(result.IsTruncated, false);
    assert.equal(result.Marker, '');
    assert.equal(result.NextMarker, undefined);
    assert.equal(result.MaxKeys, 1000);
    assert.match(result.Contents?.[0]?.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  });

  it('pages by Marker: without a delimiter no NextMarker, the client resumes after the last key', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < KEYS.length; page++) {
      const result = await list({ MaxKeys: 3, Marker: marker });
      assert.equal(result.NextMarker, undefined, 'S3 returns NextMarker only with a delimiter');
      assert.equal(result.Marker, marker ?? '');
      const keys = result.Contents?.map((object) => object.Key ?? '') ?? [];
      seen.push(...keys);
      if (!result.IsTruncated) break;
      marker = keys.at(-1);
    }
    assert.deepEqual(seen, KEYS);
  });

  it('pages common prefixes with NextMarker when there is a delimiter', async () => {
    const first = await list({ Delimiter: '/', MaxKeys: 2 });
    assert.deepEqual(first.CommonPrefixes?.map((prefix) => prefix.Prefix), ['a b/', 'a/']);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, 'a/');
    const second = await list({ Delimiter: '/', MaxKeys: 2, Marker: first.NextMarker });
    assert.deepEqual(second.CommonPrefixes?.map((prefix) => prefix.Prefix), ['b/']);
    assert.deepEqual(second.Contents?.map((object) => object.Key), ['c+d.txt']);
    assert.equal(second.NextMarker, 'c+d.txt');
    const last = await list({ Delimiter: '/', Marker: second.NextMarker });
    assert.deepEqual(last.Contents?.map((object) => object.Key), ['e.txt']);
    assert.deepEqual(last.CommonPrefixes?.map((prefix) => prefix.Prefix), ['é/']);
    assert.equal(last.IsTruncated, false);
    assert.equal(last.NextMarker, undefined);
  });

  it('url-encodes Key, Prefix, Marker, NextMarker and Delimiter with EncodingType=url', async () => {
    // The SDK decodes them again; the raw answer shows what went over the wire.
    const raw = await rawRequest(emulator.url, {
      path: `/${BUCKET}?encoding-type=url&prefix=a&delimiter=%2F&marker=a%2F&max-keys=1`,
      headers: authorization('s3'),
    });
    assert.equal(raw.status, 200, raw.body);
    for (const element of ['<Prefix>a</Prefix>', '<Marker>a%2F</Marker>', '<Delimiter>%2F</Delimiter>', '<EncodingType>url</EncodingType>']) {
      assert.ok(raw.body.includes(element), `${element} in ${raw.body}`);
    }
    assert.ok(!raw.body.includes('<NextMarker>'), 'nothing after a/ within prefix a: not truncated');
    const truncated = await rawRequest(emulator.url, { path: `/${BUCKET}?encoding-type=url&delimiter=%2F&max-keys=1`, headers: authorization('s3') });
    assert.ok(truncated.body.includes('<NextMarker>a%20b%2F</NextMarker>'), truncated.body);
    const encoded = await rawRequest(emulator.url, { path: `/${BUCKET}?encoding-type=url&prefix=%C3%A9&max-keys=1`, headers: authorization('s3') });
    assert.ok(encoded.body.includes('<Key>%C3%A9%2F6.txt</Key>'), encoded.body);
    const sdk = await list({ EncodingType: 'url', Prefix: 'a b/' });
    assert.deepEqual(sdk.Contents?.map((object) => decodeURIComponent(object.Key ?? '')), ['a b/3.txt']);
  });

  it('takes MaxKeys up to 1000, answers MaxKeys=0 with nothing, and refuses a negative one', async () => {
    assert.equal((await list({ MaxKeys: 1000 })).MaxKeys, 1000);
    assert.equal((await list({ MaxKeys: 1001 })).MaxKeys, 1000);
    const none = await list({ MaxKeys: 0 });
    assert.equal(none.Contents, undefined);
    assert.equal(none.IsTruncated, false);
    const negative = await rejection(list({ MaxKeys: -1 }));
    assert.equal(negative.name, 'InvalidArgument');
    assert.equal((await rejection(emulator.s3.send(new ListObjectsCommand({ Bucket: 'no-such-bucket' })))).name, 'NoSuchBucket');
  });

  it('is paged through by the AWS CLI (botocore resumes from NextMarker, else the last key)', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, async () => {
    const aws = async (...args: string[]) =>
      JSON.parse(await awsCli(emulator.url, emulator.root, 's3api', 'list-objects', '--bucket', BUCKET, '--output', 'json', ...args)) as {
        Contents?: Array<{ Key: string }>;
        CommonPrefixes?: Array<{ Prefix: string }>;
      };
    // Three keys a request, no delimiter: no NextMarker, so each page resumes after its last key.
    const keys = await aws('--page-size', '3');
    assert.deepEqual(keys.Contents?.map((object) => object.Key), KEYS);
    // Two entries a request with a delimiter: pages resume from NextMarker, which may be a prefix.
    const folders = await aws('--page-size', '2', '--delimiter', '/');
    assert.deepEqual(folders.CommonPrefixes?.map((prefix) => prefix.Prefix), ['a b/', 'a/', 'b/', 'é/']);
    assert.deepEqual(folders.Contents?.map((object) => object.Key), ['c+d.txt', 'e.txt']);
  });
});

describe('S3 XML bodies with character references', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => emulator.close());

  it('completes a multipart upload whose ETags are written as &#34;…&#34; and &#x22;…&#x22;', async () => {
    const { UploadId } = await emulator.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'go-client.bin' }));
    const bodies = [patterned(5 * 1024 * 1024, 1), patterned(1000, 2)];
    const etags: string[] = [];
    for (const [index, body] of bodies.entries()) {
      const { ETag } = await emulator.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'go-client.bin', UploadId, PartNumber: index + 1, Body: body }));
      etags.push(ETag!);
    }
    const unquoted = etags.map((etag) => etag.replace(/"/g, ''));
    // As Go's encoding/xml writes them: quotes as decimal references (and, here, hexadecimal ones).
    const xml =
      `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Part><ETag>&#34;${unquoted[0]}&#34;</ETag><PartNumber>1</PartNumber></Part>` +
      `<Part><ETag>&#x22;${unquoted[1]}&#x22;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>`;
    const completed = await rawRequest(emulator.url, {
      method: 'POST',
      path: `/${BUCKET}/go-client.bin?uploadId=${encodeURIComponent(UploadId!)}`,
      headers: { ...authorization('s3'), 'Content-Type': 'application/xml' },
      body: xml,
    });
    assert.equal(completed.status, 200, completed.body);
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'go-client.bin' }));
    assert.deepEqual(Buffer.from(await object.Body!.transformToByteArray()), Buffer.concat(bodies));
    assert.match(object.ETag ?? '', /-2"$/);
  });

  it('decodes references in any XML body: a key named with &#60; and &amp;#34; stays literal', async () => {
    for (const key of ['x<y', '&#34;']) await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
    const body = '<Delete><Object><Key>x&#60;y</Key></Object><Object><Key>&amp;#34;</Key></Object><Quiet>false</Quiet></Delete>';
    const deleted = await rawRequest(emulator.url, {
      method: 'POST',
      path: `/${BUCKET}?delete`,
      headers: { ...authorization('s3'), 'Content-Type': 'application/xml', 'Content-MD5': createHash('md5').update(body).digest('base64') },
      body,
    });
    assert.equal(deleted.status, 200, deleted.body);
    assert.ok(deleted.body.includes('<Key>x&lt;y</Key>') && deleted.body.includes('<Key>&amp;#34;</Key>'), deleted.body);
    assert.equal((await rejection(emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x<y' })))).name, 'NoSuchKey');
    assert.equal((await rejection(emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: '&#34;' })))).name, 'NoSuchKey');
  });
});

describe('S3 bucket configuration reads', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }));
  });
  after(() => emulator.close());

  it('answers as S3 does for a bucket created with no configuration', async () => {
    const s3 = emulator.s3;
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    assert.equal(versioning.Status, undefined);
    assert.equal(versioning.MFADelete, undefined);
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))).LocationConstraint, undefined, 'us-east-1 has none');
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    assert.deepEqual(acl.Grants, [{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner?.ID }, Permission: 'FULL_CONTROL' }]);
    assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'k' }))).Grants, acl.Grants);
    assert.equal((await rejection(s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'missing' })))).name, 'NoSuchKey');
    assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration?.Rules, [
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ]);
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }))).OwnershipControls?.Rules, [
      { ObjectOwnership: 'BucketOwnerEnforced' },
    ]);
    assert.equal((await s3.send(new GetBucketLoggingCommand({ Bucket: BUCKET }))).LoggingEnabled, undefined);
    const absent: Array<[string, Promise<unknown>, string]> = [
      ['NoSuchCORSConfiguration', s3.send(new GetBucketCorsCommand({ Bucket: BUCKET })), 'The CORS configuration does not exist'],
      ['NoSuchLifecycleConfiguration', s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET })), 'The lifecycle configuration does not exist'],
      ['NoSuchBucketPolicy', s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })), 'The bucket policy does not exist'],
      ['NoSuchTagSet', s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET })), 'The TagSet does not exist'],
    ];
    for (const [code, request, message] of absent) {
      const error = await rejection(request);
      assert.equal(error.name, code);
      assert.equal(error.message, message);
      assert.equal(error.$metadata.httpStatusCode, 404);
    }
  });

  it('writes the empty configurations as their root element, as S3 does', async () => {
    for (const [query, body] of [
      ['versioning', '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>'],
      ['location', '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>'],
      ['logging', '<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></BucketLoggingStatus>'],
    ]) {
      const raw = await rawRequest(emulator.url, { path: `/${BUCKET}?${query}`, headers: authorization('s3') });
      assert.equal(raw.status, 200);
      assert.equal(raw.body, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
    }
    const acl = await rawRequest(emulator.url, { path: `/${BUCKET}?acl`, headers: authorization('s3') });
    assert.match(acl.body, /<Grantee xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>[0-9a-f]{64}<\/ID><\/Grantee>/);
  });

  it('refuses a request whose ExpectedBucketOwner (or ExpectedSourceBucketOwner) is not the bucket\'s owner: 403', async () => {
    const s3 = emulator.s3;
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET, ExpectedBucketOwner: '000000000000' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'owned', Body: 'x', ExpectedBucketOwner: '000000000000' }));
    const head = await rejection(s3.send(new HeadBucketCommand({ Bucket: BUCKET, ExpectedBucketOwner: '111122223333' })));
    assert.equal(head.$metadata.httpStatusCode, 403);
    const put = await rejection(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'squatted', Body: 'x', ExpectedBucketOwner: '111122223333' })));
    assert.equal(put.name, 'AccessDenied');
    const copy = await rejection(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy', CopySource: `${BUCKET}/owned`, ExpectedSourceBucketOwner: '111122223333' })));
    assert.equal(copy.name, 'AccessDenied');
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy', CopySource: `${BUCKET}/owned`, ExpectedSourceBucketOwner: '000000000000' }));
  });

  it("names a bucket's own region in GetBucketLocation, and refuses missing buckets and other accounts' buckets", async () => {
    const euClient = s3Client(emulator.url, { region: 'eu-west-1' });
    try {
      await euClient.send(new CreateBucketCommand({ Bucket: 'compat-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      assert.equal((await euClient.send(new GetBucketLocationCommand({ Bucket: 'compat-eu' }))).LocationConstraint, 'eu-west-1');
    } finally {
      euClient.destroy();
    }
    assert.equal((await rejection(emulator.s3.send(new GetBucketVersioningCommand({ Bucket: 'no-such-bucket' })))).name, 'NoSuchBucket');
    assert.equal((await rejection(emulator.s3.send(new GetBucketCorsCommand({ Bucket: 'no-such-bucket' })))).name, 'NoSuchBucket');
    const otherAccount = s3Client(emulator.url, { accessKeyId: '111122223333' });
    try {
      assert.equal((await rejection(otherAccount.send(new GetBucketAclCommand({ Bucket: BUCKET })))).name, 'AccessDenied');
    } finally {
      otherAccount.destroy();
    }
  });
});
