// The one failure classifier: every kind, the resource named, the next steps, nothing raw.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../../../src/aws/errors';
import { SettingsError, type ConnectionSettings } from '../../../../src/connection/settings';
import { classifyFailure, failureText, type Failure } from '../../../../src/failures/classify';
import { about, resourceOf } from '../../../../src/failures/resources';

const emulator: ConnectionSettings = { mode: 'emulator', region: 'us-east-1', endpoint: 'http://127.0.0.1:4590', autoStart: true };
const aws: ConnectionSettings = { mode: 'aws', region: 'eu-west-1', profile: 'dev' };

/** An SDK service error as the SDK throws it. */
function serviceError(name: string, message: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, attempts: 1 }, ...extra });
}

function refusedConnection(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4590'), { code: 'ECONNREFUSED' });
}

/** No raw socket code reaches the user. */
function assertWorded(failure: Failure): void {
  assert.doesNotMatch(failureText(failure), /ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH/);
}

describe('classifyFailure', () => {
  it('sends a refused connection to "Start Local Emulator"', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4590'), { code: 'ECONNREFUSED' });
    assert.equal(classifyFailure(refused).kind, 'unreachable');
    assert.equal(classifyFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' })).kind, 'unreachable');
    assert.deepEqual(classifyFailure(refused, { settings: emulator }).steps, ['startEmulator', 'switchConnection']);
  });

  it('names the emulator it cannot reach and why, without raw socket codes', () => {
    const failure = classifyFailure(refusedConnection(), { settings: emulator });
    assert.deepEqual(failure, {
      kind: 'unreachable',
      title: 'Cannot reach the local emulator at 127.0.0.1:4590',
      message: 'Nothing answered at http://127.0.0.1:4590 (connection refused: nothing is listening there).',
      steps: ['startEmulator', 'switchConnection'],
    });
    assertWorded(failure);
    // One of ours that ran is restarted; a remote one's URL is a setting to check.
    assert.deepEqual(classifyFailure(refusedConnection(), { settings: emulator, emulatorStep: 'restartEmulator' }).steps, ['restartEmulator', 'switchConnection']);
    const remote = classifyFailure(refusedConnection(), { settings: { ...emulator, endpoint: 'http://10.0.0.5:4590' } });
    assert.deepEqual(remote.steps, ['openSettings', 'switchConnection']);
    assert.equal(remote.setting, 'sagemaker.emulator.url');
  });

  it('words every network failure, found in causes and aggregate errors too', () => {
    const cases: [unknown, RegExp][] = [
      [Object.assign(new Error('getaddrinfo ENOTFOUND api.sagemaker.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }), /does not resolve/],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), /connection was cut/],
      [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), /connection was cut/],
      [Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), /no answer in time/],
      [Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' }), /no route/],
      [Object.assign(new Error('fetch failed'), { cause: refusedConnection() }), /connection refused/],
      [Object.assign(new AggregateError([refusedConnection(), refusedConnection()], ''), {}), /connection refused/],
    ];
    for (const [error, reason] of cases) {
      const failure = classifyFailure(error, { settings: aws });
      assert.equal(failure.kind, 'unreachable', String(error));
      assert.equal(failure.title, 'Cannot reach AWS in eu-west-1');
      assert.match(failure.message, reason);
      assert.deepEqual(failure.steps, ['retry', 'switchConnection']);
      assertWorded(failure);
    }
  });

  it('recognises expired or missing credentials, SSO included', () => {
    for (const name of ['CredentialsProviderError', 'ExpiredTokenException', 'UnrecognizedClientException', 'TokenProviderError']) {
      assert.equal(classifyFailure(Object.assign(new Error('no'), { name })).kind, 'credentials', name);
    }
    const missing = classifyFailure(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { settings: aws });
    assert.equal(missing.title, 'No valid AWS credentials for profile dev');
    assert.deepEqual(missing.steps, ['switchConnection', 'retry']);
    const sso = classifyFailure(
      Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'TokenProviderError' }),
      { settings: aws },
    );
    assert.equal(sso.title, 'The SSO session of profile dev has expired or is not signed in');
    assert.match(sso.message, /aws sso login --profile dev/);
    assert.deepEqual(sso.steps, ['retry', 'switchConnection']);
  });

  it('keeps the setting a SettingsError names', () => {
    const failure = classifyFailure(new SettingsError('sagemaker.connection.region', 'bad region'));
    assert.deepEqual(failure, {
      kind: 'settings',
      title: 'Invalid connection setting',
      message: 'bad region',
      steps: ['openSettings'],
      setting: 'sagemaker.connection.region',
    });
  });

  it('names the resource that was not found and where, instead of the bare service message', () => {
    const bare = serviceError('ValidationException', 'Requested resource not found.', 400);
    const failure = classifyFailure(bare, { settings: emulator, resource: { kind: 'trainingJob', name: 'foo' } });
    assert.equal(failure.kind, 'notFound');
    assert.equal(failure.title, 'Training job foo was not found in us-east-1');
    assert.equal(failure.message, 'ValidationException: Requested resource not found.');
    assert.deepEqual(failure.steps, ['showTrainingJobs']);
    // S3's own codes, and SageMaker's "Could not find" wording.
    assert.equal(classifyFailure(serviceError('NoSuchBucket', 'The specified bucket does not exist', 404), { settings: aws, resource: { kind: 'bucket', name: 'data' } }).title, 'Bucket data was not found in eu-west-1');
    assert.equal(classifyFailure(serviceError('ValidationException', 'Could not find endpoint "x".', 400)).kind, 'notFound');
    // Without a resource, still not bare: it says where.
    assert.equal(classifyFailure(bare, { settings: emulator }).title, 'Not found in us-east-1');
  });

  it('takes the resource from the call that failed (about), the innermost naming winning', async () => {
    const error = await about({ kind: 'endpoint', name: 'outer' }, about({ kind: 'endpoint', name: 'chat' }, Promise.reject(serviceError('ValidationException', 'Could not find endpoint "chat".', 400))))
      .then(() => undefined, (caught: unknown) => caught);
    assert.deepEqual(resourceOf(error), { kind: 'endpoint', name: 'chat' });
    const failure = classifyFailure(error, { settings: emulator });
    assert.equal(failure.title, 'Endpoint chat was not found in us-east-1');
    assert.deepEqual(failure.steps, ['showEndpoints']);
    // A thrown string still carries it.
    const text = await about({ kind: 'model', name: 'm' }, Promise.reject('boom')).catch((caught: unknown) => caught);
    assert.deepEqual(resourceOf(text), { kind: 'model', name: 'm' });
  });

  it('says a name is taken', () => {
    const inUse = serviceError('ResourceInUse', 'Training job names must be unique within an AWS account and region.', 400);
    const failure = classifyFailure(inUse, { settings: emulator, resource: { kind: 'trainingJob', name: 'gpt' } });
    assert.equal(failure.kind, 'alreadyExists');
    assert.equal(failure.title, 'Training job gpt already exists in us-east-1');
    const existing = serviceError('ValidationException', 'Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:0:endpoint/e".', 400);
    assert.equal(classifyFailure(existing, { resource: { kind: 'endpoint', name: 'e' }, settings: emulator }).title, 'Endpoint e already exists in us-east-1');
  });

  it('says throttling is throttling, after the SDK retried, and offers Retry', () => {
    for (const error of [
      serviceError('ThrottlingException', 'Rate exceeded', 400, { $metadata: { httpStatusCode: 400, attempts: 3 } }),
      serviceError('SlowDown', 'Please reduce your request rate.', 503, { $metadata: { httpStatusCode: 503, attempts: 3 } }),
      serviceError('TooManyRequests', 'slow down', 429),
    ]) {
      const failure = classifyFailure(error, { settings: aws });
      assert.equal(failure.kind, 'throttled', error.name);
      assert.deepEqual(failure.steps, ['retry']);
    }
    const failure = classifyFailure(serviceError('ThrottlingException', 'Rate exceeded', 400, { $metadata: { httpStatusCode: 400, attempts: 3 } }), { settings: aws, doing: 'load training jobs' });
    assert.equal(failure.title, 'Too many requests: could not load training jobs');
    assert.match(failure.message, /still refused after 3 attempts/);
  });

  it('tells access denied, refused requests, server failures and anything else apart', () => {
    const denied = classifyFailure(serviceError('AccessDeniedException', 'User is not authorized to perform sagemaker:StopTrainingJob', 400), {
      settings: aws,
      resource: { kind: 'trainingJob', name: 'j' },
    });
    assert.equal(denied.kind, 'accessDenied');
    assert.equal(denied.title, 'Access to training job j was denied');
    assert.deepEqual(denied.steps, ['switchConnection']);

    const refused = classifyFailure(serviceError('ValidationException', '1 validation error detected: Value at instanceType failed', 400), { doing: 'deploy endpoint e' });
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.title, 'Could not deploy endpoint e');
    assert.match(refused.message, /^ValidationException: 1 validation error/);

    const internal = classifyFailure(serviceError('InternalError', 'We encountered an internal error.', 500, { $metadata: { httpStatusCode: 500, attempts: 3 } }), { doing: 'upload data.jsonl' });
    assert.equal(internal.kind, 'serviceError');
    assert.equal(internal.title, 'Could not upload data.jsonl: the service failed');
    assert.match(internal.message, /after 3 attempts/);
    assert.deepEqual(internal.steps, ['retry']);

    const other = classifyFailure(new Error('the description lacks a member'), { doing: 'resume training job j' });
    assert.deepEqual(other, { kind: 'other', title: 'Could not resume training job j', message: 'the description lacks a member', steps: [] });
  });

  it('classifies whatever was thrown, not only errors (found by the fuzz suite)', () => {
    for (const thrown of [undefined, null, 'a string', 42, Symbol('s'), { message: 'an object' }]) {
      const failure = classifyFailure(thrown);
      assert.equal(failure.kind, 'other', String(thrown));
      assert.equal(typeof failure.message, 'string');
    }
  });

  it('never shows a credential in what it says', () => {
    const leaky = serviceError('SignatureDoesNotMatch', 'key AKIAIOSFODNN7EXAMPLE secretAccessKey="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', 403);
    const text = failureText(classifyFailure(leaky, { settings: aws }));
    assert.doesNotMatch(text, /IOSFODNN7EXAMPLE|wJalrXUtnFEMI/);
  });
});

describe('redact', () => {
  it('never shows an access key id or a secret', () => {
    const text = redact('key AKIAIOSFODNN7EXAMPLE secretAccessKey="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" Signature=0123456789abcdef0123456789');
    assert.doesNotMatch(text, /IOSFODNN7EXAMPLE|wJalrXUtnFEMI|0123456789abcdef/);
    assert.match(text, /AKIA\*+/);
  });

  it('never shows a session token, in any of the shapes it is written in', () => {
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/Rest==';
    const encoded = encodeURIComponent(token);
    for (const text of [
      `aws_session_token = ${token}`,
      `AWS_SESSION_TOKEN=${token}`,
      `{"sessionToken":"${token}"}`,
      `{"SessionToken": "${token}"}`,
      `aws_security_token=${token}`,
      `x-amz-security-token: ${token}`,
      `https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=${encoded}&X-Amz-Date=20240101T000000Z`,
    ]) {
      const shown = redact(text);
      assert.doesNotMatch(shown, /IQoJb3JpZ2lu|token%2FRest|token\/Rest/, text);
      assert.match(shown, /\*\*\*\*/, text);
    }
  });

  it('never shows the credential or signature of a presigned URL or an Authorization header', () => {
    const presigned = redact(
      'GET https://bucket.s3.us-east-1.amazonaws.com/data.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=MYKEYID123%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7 failed',
    );
    assert.doesNotMatch(presigned, /MYKEYID123|5d672d79c15b/);
    assert.match(presigned, /X-Amz-Credential=\*\*\*\*&X-Amz-Date=20240101T000000Z/, 'the rest of the URL stays readable');
    const header = redact('Authorization: AWS4-HMAC-SHA256 Credential=MYKEYID123/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    assert.doesNotMatch(header, /MYKEYID123|5d672d79c15b/);
    assert.match(redact('https://b.s3.amazonaws.com/k?AWSAccessKeyId=MYKEYID123&Expires=1&Signature=abcdefghijklmnop1234%2B'), /AWSAccessKeyId=\*\*\*\*&Expires=1&Signature=\*\*\*\*$/);
  });

  it("keeps AWS's own messages about signatures and credentials as they are", () => {
    for (const message of [
      'Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      'Credential should be scoped to a valid region.',
      'The security token included in the request is invalid.',
    ]) {
      assert.equal(redact(message), message);
    }
  });
});
