// Local credentials for signature verification from an AWS shared credentials file (INI, as
// `~/.aws/credentials`), read with the SDK's own loader. Every profile's key pair is accepted.
import { loadSharedConfigFiles } from '@smithy/core/config';
import { access } from 'node:fs/promises';
import type { LocalCredentials } from './signatureV4';

export async function loadCredentialsFile(path: string): Promise<LocalCredentials[]> {
  // The loader reads a missing file as an empty one; that must be an error here.
  await access(path);
  // The config file is the same file: the loader must not read ~/.aws/config instead.
  const { credentialsFile } = await loadSharedConfigFiles({ filepath: path, configFilepath: path, ignoreCache: true });
  const credentials = Object.values(credentialsFile).flatMap((profile) =>
    profile.aws_access_key_id && profile.aws_secret_access_key
      ? [{ accessKeyId: profile.aws_access_key_id, secretAccessKey: profile.aws_secret_access_key }]
      : [],
  );
  if (credentials.length === 0) throw new Error(`${path} has no profile with aws_access_key_id and aws_secret_access_key`);
  return credentials;
}
