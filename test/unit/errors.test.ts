import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFailure, redact } from '../../src/aws/errors';
import { SettingsError } from '../../src/connection/settings';

describe('classifyFailure', () => {
  it('sends a refused connection to "Start Local Emulator"', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4590'), { code: 'ECONNREFUSED' });
    assert.equal(classifyFailure(refused).kind, 'unreachable');
    assert.equal(classifyFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' })).kind, 'unreachable');
  });

  it('recognises expired or missing credentials, SSO included', () => {
    for (const name of ['CredentialsProviderError', 'ExpiredTokenException', 'UnrecognizedClientException', 'TokenProviderError']) {
      assert.equal(classifyFailure(Object.assign(new Error('no'), { name })).kind, 'credentials', name);
    }
  });

  it('keeps the setting a SettingsError names', () => {
    const failure = classifyFailure(new SettingsError('sagemaker.connection.region', 'bad region'));
    assert.deepEqual(failure, { kind: 'settings', message: 'bad region', setting: 'sagemaker.connection.region' });
  });

  it('passes service errors through as they are', () => {
    const failure = classifyFailure(Object.assign(new Error('Requested resource not found.'), { name: 'ValidationException' }));
    assert.deepEqual(failure, { kind: 'other', message: 'Requested resource not found.' });
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
