// Unit tests of hostEnvironment.
import assert from 'node:assert/strict';
import { devNull } from 'node:os';
import { describe, it } from 'node:test';
import { hostEnvironment } from '../../../../../emulator/runtime/hosts/hostEnvironment';
import { emulatorEnvironment } from '../../../../../src/emulatorEnvironment';

/** A developer's shell: what a program needs, and secrets and settings no job may see. */
const HOST = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/home/dev',
  LANG: 'en_GB.UTF-8',
  LC_ALL: 'en_GB.UTF-8',
  TZ: 'Europe/London',
  TMPDIR: '/tmp/dev',
  AWS_ACCESS_KEY_ID: 'AKIAHOSTKEYABCDEFGHI',
  AWS_SECRET_ACCESS_KEY: 'host-secret',
  AWS_SESSION_TOKEN: 'host-token',
  AWS_PROFILE: 'production',
  AWS_CONFIG_FILE: '/home/dev/.aws/config',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/creds',
  GITHUB_TOKEN: 'ghp_secret',
  VSCODE_IPC_HOOK: '/run/user/1000/vscode.sock',
  PYTHONPATH: '/home/dev/lib',
};
/** What both environments take from the host: what a program needs to run, nothing else. */
const HOST_ESSENTIALS = { PATH: HOST.PATH, HOME: HOST.HOME, LANG: HOST.LANG, LC_ALL: HOST.LC_ALL, TZ: HOST.TZ, TMPDIR: HOST.TMPDIR };
const ACCESS = { endpointUrl: 'http://127.0.0.1:4590', region: 'eu-west-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'issued' } };

describe('hostEnvironment', () => {
  it("takes only PATH, HOME, the locale, TZ and the temporary folder from the host, and reaches AWS through the emulator", () => {
    assert.deepEqual(hostEnvironment({ access: ACCESS, contract: { SM_CURRENT_HOST: 'algo-1' } }, HOST), {
      ...HOST_ESSENTIALS,
      SM_CURRENT_HOST: 'algo-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4590',
      AWS_ACCESS_KEY_ID: '123456789012',
      AWS_SECRET_ACCESS_KEY: 'issued',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: devNull,
      AWS_SHARED_CREDENTIALS_FILE: devNull,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('layers the image, the job and the contract in that order; no layer can point AWS calls elsewhere', () => {
    const environment = hostEnvironment(
      {
        access: ACCESS,
        image: { PYTHONPATH: '/opt/image', SHARED: 'image', ELECTRON_RUN_AS_NODE: '1' },
        job: { SHARED: 'job', MY_SETTING: 'x', AWS_ENDPOINT_URL: 'https://s3.amazonaws.com', AWS_ENDPOINT_URL_S3: 'https://s3.amazonaws.com', AWS_PROFILE: 'prod', AWS_SESSION_TOKEN: 't', AWS_MAX_ATTEMPTS: '5' },
        contract: { SM_MODEL_DIR: '/data/model', MY_SETTING: 'contract' },
      },
      HOST,
    );
    assert.equal(environment.PYTHONPATH, '/opt/image', "the image's, not the host's");
    assert.equal(environment.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(environment.SHARED, 'job');
    assert.equal(environment.MY_SETTING, 'contract');
    assert.equal(environment.AWS_ENDPOINT_URL, 'http://127.0.0.1:4590');
    for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) assert.equal(environment[name], undefined, name);
    assert.equal(environment.AWS_MAX_ATTEMPTS, '5', 'SDK settings that do not decide where calls go are the job’s own');
  });
});

describe('emulatorEnvironment (how the extension starts the emulator)', () => {
  it("passes on what a program needs and none of the user's AWS credentials or other variables", () => {
    assert.deepEqual(emulatorEnvironment(HOST, 'linux'), {
      ...HOST_ESSENTIALS,
      ELECTRON_RUN_AS_NODE: '1',
    });
  });

  it('keeps what Windows programs cannot start without, on Windows only', () => {
    const essentials = { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', USERPROFILE: 'C:\\Users\\dev' };
    const windows = { ...essentials, AWS_SECRET_ACCESS_KEY: 'secret' };
    assert.deepEqual(emulatorEnvironment(windows, 'win32'), { ...essentials, ELECTRON_RUN_AS_NODE: '1' });
    assert.deepEqual(emulatorEnvironment(windows, 'linux'), { Path: 'C:\\Windows', ELECTRON_RUN_AS_NODE: '1' });
  });
});
