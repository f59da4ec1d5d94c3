// Unit tests of resolveRoute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRoute } from '../../../emulator/routing';

const DEFAULT_ACCOUNT = '000000000000';

function authorization(scope: string): { authorization: string } {
  return { authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host, Signature=abc` };
}

describe('resolveRoute', () => {
  it('takes service, region and account from the credential scope', () => {
    assert.deepEqual(resolveRoute({ method: 'GET', url: '/bucket/key', headers: authorization('AKIDEXAMPLE/20240101/eu-west-1/s3/aws4_request') }, DEFAULT_ACCOUNT), {
      kind: 'service',
      service: 's3',
      accountId: DEFAULT_ACCOUNT,
      region: 'eu-west-1',
      accessKeyId: 'AKIDEXAMPLE',
    });
    const route = resolveRoute({ url: '/', headers: { ...authorization('123456789012/20240101/us-west-2/logs/aws4_request'), 'x-amz-target': 'Logs_20140328.CreateLogGroup' } }, DEFAULT_ACCOUNT);
    assert.deepEqual(route, { kind: 'service', service: 'logs', accountId: '123456789012', region: 'us-west-2', accessKeyId: '123456789012' });
  });

  it('routes a request signed for a service the emulator does not speak as such, never as S3', () => {
    const signed = (service: string) => authorization(`test/20240101/us-east-1/${service}/aws4_request`);
    assert.deepEqual(resolveRoute({ method: 'POST', url: '/', headers: signed('iam') }, DEFAULT_ACCOUNT), { kind: 'unknownService', signingName: 'iam' });
    assert.deepEqual(resolveRoute({ method: 'GET', url: '/2015-03-31/functions/', headers: signed('lambda') }, DEFAULT_ACCOUNT), {
      kind: 'unknownService',
      signingName: 'lambda',
    });
    // An awsJson target of no service it knows stays an unknown operation (UnknownOperationException).
    assert.deepEqual(resolveRoute({ method: 'POST', url: '/', headers: { ...signed('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.ListTables' } }, DEFAULT_ACCOUNT), {
      kind: 'unknownTarget',
      target: 'DynamoDB_20120810.ListTables',
    });
    assert.deepEqual(resolveRoute({ method: 'POST', url: '/', headers: signed('sts') }, DEFAULT_ACCOUNT), {
      kind: 'service',
      service: 'sts',
      accountId: DEFAULT_ACCOUNT,
      region: 'us-east-1',
      accessKeyId: 'test',
    });
  });

  it('reads the scope of a presigned URL', () => {
    const url = `/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent('test/20240101/ap-south-1/s3/aws4_request')}`;
    assert.equal((resolveRoute({ url, headers: {} }, DEFAULT_ACCOUNT) as { region: string }).region, 'ap-south-1');
  });

  it('tells SageMaker from SageMaker Runtime, which share the signing name, by path', () => {
    const signed = authorization('test/20240101/us-east-1/sagemaker/aws4_request');
    const service = (url: string, headers = {}) =>
      (resolveRoute({ method: 'POST', url, headers: { ...signed, ...headers } }, DEFAULT_ACCOUNT) as { service: string }).service;
    assert.equal(service('/', { 'x-amz-target': 'SageMaker.ListTrainingJobs' }), 'sagemaker');
    assert.equal(service('/endpoints/my-endpoint/invocations'), 'sagemaker-runtime');
    assert.equal(service('/endpoints/my-endpoint/invocations-response-stream'), 'sagemaker-runtime');
    assert.equal(service('/endpoints/my-endpoint/async-invocations'), 'sagemaker-runtime');
  });

  it('routes unsigned requests by X-Amz-Target, then path, defaulting to us-east-1 and S3', () => {
    const route = (url: string, headers = {}) => resolveRoute({ method: 'POST', url, headers }, DEFAULT_ACCOUNT);
    assert.deepEqual(route('/', { 'x-amz-target': 'AnyScaleFrontendService.DescribeScalableTargets' }), {
      kind: 'service',
      service: 'application-autoscaling',
      accountId: DEFAULT_ACCOUNT,
      region: 'us-east-1',
    });
    assert.equal((route('/endpoints/e/invocations') as { service: string }).service, 'sagemaker-runtime');
    assert.equal((route('/bucket') as { service: string }).service, 's3');
    assert.deepEqual(route('/', { 'x-amz-target': 'DynamoDB_20120810.GetItem' }), { kind: 'unknownTarget', target: 'DynamoDB_20120810.GetItem' });
  });

  it('lets the signing name win over the target', () => {
    const route = resolveRoute({ url: '/', headers: { ...authorization('test/20240101/us-east-1/s3/aws4_request'), 'x-amz-target': 'SageMaker.ListTrainingJobs' } }, DEFAULT_ACCOUNT);
    assert.equal((route as { service: string }).service, 's3');
  });

  it('reserves /_emulator/ for the emulator', () => {
    assert.deepEqual(resolveRoute({ url: '/_emulator/health', headers: {} }, DEFAULT_ACCOUNT), { kind: 'emulator', path: '/_emulator/health' });
    assert.equal(resolveRoute({ url: '/_emulatorish/key', headers: {} }, DEFAULT_ACCOUNT).kind, 'service');
  });

  it('ignores a malformed credential scope', () => {
    const route = resolveRoute({ url: '/', headers: authorization('test/not-a-date/../../x/aws4_request') }, DEFAULT_ACCOUNT);
    assert.deepEqual(route, { kind: 'service', service: 's3', accountId: DEFAULT_ACCOUNT, region: 'us-east-1' });
  });
});
