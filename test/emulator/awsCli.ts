// The AWS CLI (`apt-get install awscli`): an independent client (Python, botocore) for scenarios
// against an emulator, isolated from the machine's own AWS configuration.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AWS_CLI, TEST_CREDENTIALS } from '../../harness/emulatorClients';

export { AWS_CLI };

const run = promisify(execFile);

/** Runs `aws --endpoint-url <url> ...args` with the tests' credentials and `home` as its home; resolves with its output. */
export function awsCli(url: string, home: string, ...args: string[]): Promise<string> {
  return awsCliAs(TEST_CREDENTIALS, url, home, ...args);
}

/** The same, signing with the given credentials. */
export async function awsCliAs(
  credentials: { accessKeyId: string; secretAccessKey: string },
  url: string,
  home: string,
  ...args: string[]
): Promise<string> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', url, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
    timeout: 20_000,
  });
  return stdout;
}
