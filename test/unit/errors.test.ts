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
});
