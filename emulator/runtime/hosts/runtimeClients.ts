// What the runtimes need to act as AWS clients of the emulator itself and to give hosts loopback ports.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import * as net from 'node:net';

export interface RuntimeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The key pair that acts as an account (the emulator issues one per account: auth/issuedCredentials.ts). */
export type CredentialsFor = (accountId: string) => RuntimeCredentials;

/**
 * How something reaches the emulator as one account in one region: what the runtime's own clients
 * use, and what the processes it runs are given (see hostEnvironment.ts).
 */
export interface EmulatorAccess {
  endpointUrl: string;
  region: string;
  credentials: RuntimeCredentials;
}

/** SDK clients acting as the account and region of a resource ARN, and that access itself. */
export function clientsFor(url: string, arn: string, credentialsFor: CredentialsFor): { s3: S3Client; logs: CloudWatchLogsClient; access: EmulatorAccess } {
  const [, , , region, accountId] = arn.split(':');
  const access = { endpointUrl: url, region, credentials: credentialsFor(accountId) };
  const config = { endpoint: url, region, credentials: access.credentials, maxAttempts: 3 };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), logs: new CloudWatchLogsClient(config), access };
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * A presigned GetObject URL of the emulator's S3 (path-style), valid for `expiresSeconds`: what a
 * container is given to fetch an object itself, signed as the client's own credentials sign.
 */
export async function presignedGetObjectUrl(s3: S3Client, location: { bucket: string; key: string }, expiresSeconds = 3600): Promise<string> {
  const endpoint = await s3.config.endpoint!();
  const signer = new SignatureV4({ credentials: s3.config.credentials, region: await s3.config.region(), service: 's3', sha256: Sha256, uriEscapePath: false });
  const path = `/${location.bucket}/${location.key.split('/').map(encodeURIComponent).join('/')}`;
  const host = `${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`;
  const signed = await signer.presign({ method: 'GET', protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, path, query: {}, headers: { host } }, { expiresIn: expiresSeconds });
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `${endpoint.protocol}//${host}${path}?${query}`;
}
