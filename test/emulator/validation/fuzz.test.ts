// A few hundred malformed requests: each must get an AWS-shaped client error (or NotImplemented for an
// operation the emulator lacks) — never a 500, an HTML page or a dropped connection — and the emulator
// must stay up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorization, jsonTargetHeaders, rawRequest, type RawResponse, seededRandom, startTestEmulator, type TestEmulator } from '../helpers';

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}


const random = seededRandom(20240601);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const ODD_VALUES: readonly unknown[] = [
  null, true, -1, 0, 1.5, 1e308, -1e308, 2 ** 53, '', ' ', 'x'.repeat(5000), '../..', '\u0000', '😀', [], [null], {}, { nested: { deeper: [1] } },
];
const TARGETS = ['CreateTrainingJob', 'DescribeTrainingJob', 'ListTrainingJobs', 'StopTrainingJob'];
const MEMBERS = ['TrainingJobName', 'RoleArn', 'MaxResults', 'NextToken', 'SortBy', 'CreationTimeAfter', 'ResourceConfig', 'HyperParameters', 'InputDataConfig', 'OutputDataConfig'];

function jsonBody(): string {
  switch (Math.floor(random() * 4)) {
    case 0:
      return pick(['{', '}', '{"a":', 'null', '[]', '12', '"s"', '{"TrainingJobName": "a" "b"}', '\u0000', '{"__proto__": {"x": 1}}']);
    case 1:
      return JSON.stringify(Object.fromEntries([[pick(MEMBERS), pick(ODD_VALUES)]]));
    case 2:
      return JSON.stringify(Object.fromEntries(MEMBERS.map((member) => [member, pick(ODD_VALUES)])));
    default:
      return JSON.stringify({ TrainingJobName: 'fuzz', ResourceConfig: { InstanceCount: pick(ODD_VALUES), VolumeSizeInGB: -5 }, MaxResults: pick([-1, 0, 101, 1e9]) });
  }
}

function awsJsonRequest(): FuzzRequest {
  const target = random() < 0.8 ? `SageMaker.${pick(TARGETS)}` : pick(['SageMaker.', 'SageMaker.toString', 'Nope.List', '', 'Logs_20140328.', 'SageMaker.__proto__']);
  return { method: 'POST', path: '/', headers: jsonTargetHeaders(target, random() < 0.5 ? 'sagemaker' : undefined), body: jsonBody() };
}

function s3Request(): FuzzRequest {
  const bucket = pick(['fuzz-bucket', 'missing-bucket', 'UPPER', '%', '%zz', 'a'.repeat(300), '..']);
  const key = pick(['', '/k', '/%', '/%E0%A4%A', '/a%00b', '/../../etc/passwd', `/${'k'.repeat(1100)}`, '/deep/ly/nested/']);
  const query = pick(['', '?list-type=2&max-keys=-5', '?list-type=2&max-keys=abc', '?list-type=2&continuation-token=%%%', '?list-type=2&encoding-type=base64', '?uploads', '?acl', '?x-id=PutObject']);
  const headers: Record<string, string> = { ...authorization('s3') };
  const extra = pick<[string, string] | undefined>([
    ['Range', 'bytes=abc'],
    ['Range', 'bytes=999999-'],
    ['If-Modified-Since', 'not a date'],
    ['Content-MD5', '!!!'],
    ['x-amz-decoded-content-length', 'many'],
    ['Content-Encoding', 'aws-chunked'],
    ['x-amz-content-sha256', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'],
    ['x-amz-checksum-crc32', 'AAAAAA=='],
    undefined,
  ]);
  if (extra) headers[extra[0]] = extra[1];
  const method = pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH']);
  const body = method === 'PUT' || method === 'POST' ? pick(['', 'zz\r\n', '<CreateBucketConfiguration><LocationConstraint>', '<a>&bogus;</a>', 'plain body']) : undefined;
  return { method, path: `/${bucket}${key}${query}`, headers, body };
}

function runtimeRequest(): FuzzRequest {
  return {
    method: pick(['POST', 'GET']),
    path: pick(['/endpoints/x/invocations', '/endpoints//invocations', '/endpoints/%/invocations-response-stream', '/endpoints/x/async-invocations']),
    headers: random() < 0.5 ? authorization('sagemaker') : {},
    body: '{}',
  };
}

/** Whether the response is an AWS error in the protocol's shape. */
function isAwsError(request: FuzzRequest, response: RawResponse): boolean {
  if (request.method === 'HEAD' || response.status === 304) return response.body === '';
  if (String(response.headers['content-type']).includes('xml')) return /<Error><Code>\w+<\/Code><Message>/.test(response.body);
  try {
    const parsed = JSON.parse(response.body) as { __type?: string; message?: string };
    return typeof parsed.__type === 'string' && typeof parsed.message === 'string';
  } catch {
    return false;
  }
}

describe('fuzzing the emulator with malformed requests', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await rawRequest(emulator.url, { method: 'PUT', path: '/fuzz-bucket', headers: authorization('s3') });
  });
  after(() => emulator.close());

  it('answers 400 requests with AWS-shaped client errors and stays up', async () => {
    const makers = [awsJsonRequest, awsJsonRequest, s3Request, s3Request, s3Request, runtimeRequest];
    const statuses = new Map<number, number>();
    for (let index = 0; index < 400; index++) {
      const request = pick(makers)();
      const description = `#${index} ${request.method} ${request.path.slice(0, 80)} ${JSON.stringify(request.headers)} ${request.body?.slice(0, 80)}`;
      const response = await rawRequest(emulator.url, request);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      assert.ok(response.status < 500 || response.status === 501, `${description} → ${response.status} ${response.body}`);
      if (response.status >= 300) assert.ok(isAwsError(request, response), `${description} → ${response.body}`);
    }
    assert.ok((statuses.get(400) ?? 0) > 100, `mostly validation errors: ${JSON.stringify([...statuses])}`);
    assert.deepEqual(emulator.logs, [], 'no internal errors were logged');
    const health = await rawRequest(emulator.url, { path: '/_emulator/health' });
    assert.equal(health.status, 200);
  });
});
