// Unit tests of connection settings.
import * as assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { describe, it } from 'node:test';
import { describeConnection, isLoopbackUrl, parseConnectionSettings, SettingsError } from '../../../../src/connection/settings';

const reader = (values: Record<string, unknown>) => (id: string) => values[id];

describe('connection settings', () => {
  it('defaults to the local emulator in us-east-1 with auto-start', () => {
    assert.deepEqual(parseConnectionSettings(reader({})), {
      mode: 'emulator',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4590',
      autoStart: true,
    });
  });

  it('reads an AWS profile and region; an empty profile means the default chain', () => {
    const values = { 'sagemaker.connection.mode': 'aws', 'sagemaker.connection.region': 'eu-west-1' };
    assert.deepEqual(parseConnectionSettings(reader({ ...values, 'sagemaker.connection.profile': ' ml-sso ' })), {
      mode: 'aws',
      region: 'eu-west-1',
      profile: 'ml-sso',
    });
    assert.equal((parseConnectionSettings(reader({ ...values, 'sagemaker.connection.profile': '' })) as { profile?: string }).profile, undefined);
  });

  it('reads the emulator\'s data folder: absolute, ~ for home, empty for the default', () => {
    const dataDir = (value: unknown) => {
      const settings = parseConnectionSettings(reader({ 'sagemaker.emulator.dataDir': value }));
      return settings.mode === 'emulator' ? settings.dataDir : 'not the emulator';
    };
    assert.equal(dataDir('/srv/emulator/'), '/srv/emulator');
    assert.equal(dataDir('~/sagemaker'), `${homedir()}/sagemaker`);
    assert.equal(dataDir(''), undefined);
    assert.equal(dataDir('  '), undefined);
  });

  it('normalises the emulator URL to its origin', () => {
    const settings = parseConnectionSettings(reader({ 'sagemaker.emulator.url': 'http://localhost:9000/' }));
    assert.equal(settings.mode === 'emulator' && settings.endpoint, 'http://localhost:9000');
  });

  for (const [setting, value] of [
    ['sagemaker.connection.mode', 'cloud'],
    ['sagemaker.connection.region', 'Frankfurt'],
    ['sagemaker.connection.region', ''],
    ['sagemaker.emulator.url', 'localhost 4590'],
    ['sagemaker.emulator.url', 'ftp://127.0.0.1:21'],
    ['sagemaker.emulator.url', 'http://127.0.0.1:4590/api'],
    ['sagemaker.emulator.autoStart', 'yes'],
    ['sagemaker.emulator.dataDir', 'relative/folder'],
    ['sagemaker.emulator.dataDir', 42],
  ] as const) {
    it(`rejects ${setting} = ${JSON.stringify(value)} with an error naming the setting`, () => {
      assert.throws(
        () => parseConnectionSettings(reader({ [setting]: value })),
        (error: unknown) => error instanceof SettingsError && error.setting === setting && error.message.includes(setting),
      );
    });
  }

  it('starts emulators only on loopback URLs', () => {
    assert.equal(isLoopbackUrl('http://127.0.0.1:4590'), true);
    assert.equal(isLoopbackUrl('http://localhost:4590'), true);
    assert.equal(isLoopbackUrl('http://[::1]:4590'), true);
    assert.equal(isLoopbackUrl('http://10.0.0.5:4590'), false);
    assert.equal(isLoopbackUrl('http://emulator.internal:4590'), false);
  });

  it('describes the connection for the status bar', () => {
    assert.equal(describeConnection(parseConnectionSettings(reader({}))), 'Emulator 127.0.0.1:4590 · us-east-1');
    assert.equal(
      describeConnection(parseConnectionSettings(reader({ 'sagemaker.connection.mode': 'aws', 'sagemaker.connection.region': 'us-west-2' }))),
      'AWS default · us-west-2',
    );
  });
});
