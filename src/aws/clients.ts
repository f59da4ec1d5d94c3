// The one factory of AWS SDK clients, created lazily from the active connection settings. The SDK
// itself is loaded on first use (its own webpack chunk), so activation evaluates none of it.
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ConnectionSettings } from '../connection/settings';

export type Sdk = typeof import('./sdk');
export type RuntimeSdk = typeof import('./runtimeSdk');

let sdk: Promise<Sdk> | undefined;
let runtimeSdk: Promise<RuntimeSdk> | undefined;

export function loadSdk(): Promise<Sdk> {
  sdk ??= import('./sdk');
  return sdk;
}

export function loadRuntimeSdk(): Promise<RuntimeSdk> {
  runtimeSdk ??= import('./runtimeSdk');
  return runtimeSdk;
}

/** Credentials the emulator accepts; never real ones, so they are safe to keep in code. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator' } as const;

interface SharedClientConfig {
  region: string;
  profile?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  retryMode: 'standard';
  maxAttempts: number;
  requestHandler?: { connectionTimeout: number };
}

/**
 * Every call retries as the SDK's standard retry mode does (3 attempts, exponential backoff with
 * jitter, a retry quota that stops retries when most calls fail): throttling and 5xx errors from
 * AWS — or the emulator's injected faults — are absorbed, and what still fails is shown once.
 */
const RETRIES = { retryMode: 'standard', maxAttempts: 3 } as const;

export function sharedClientConfig(settings: ConnectionSettings): SharedClientConfig {
  if (settings.mode === 'aws') {
    // The SDK's default chain resolves the profile: env, SSO, shared files, process, IMDS.
    return { region: settings.region, profile: settings.profile, ...RETRIES };
  }
  return {
    region: settings.region,
    endpoint: settings.endpoint,
    credentials: { ...EMULATOR_CREDENTIALS },
    ...RETRIES,
    // A local server answers at once or is not running: waiting longer only delays the next step.
    requestHandler: { connectionTimeout: 2000 },
  };
}

export class AwsClients {
  private s3Client: Promise<S3Client> | undefined;
  private sageMakerClient: Promise<SageMakerClient> | undefined;
  private sageMakerRuntimeClient: Promise<SageMakerRuntimeClient> | undefined;
  private logsClient: Promise<CloudWatchLogsClient> | undefined;
  private autoscalingClient: Promise<ApplicationAutoScalingClient> | undefined;
  private cloudWatchClient: Promise<CloudWatchClient> | undefined;

  constructor(readonly settings: ConnectionSettings) {}

  s3(): Promise<S3Client> {
    this.s3Client ??= loadSdk().then(
      ({ S3Client }) =>
        new S3Client({ ...sharedClientConfig(this.settings), forcePathStyle: this.settings.mode === 'emulator' }),
    );
    return this.s3Client;
  }

  sageMaker(): Promise<SageMakerClient> {
    this.sageMakerClient ??= loadSdk().then(({ SageMakerClient }) => new SageMakerClient(sharedClientConfig(this.settings)));
    return this.sageMakerClient;
  }

  logs(): Promise<CloudWatchLogsClient> {
    this.logsClient ??= loadSdk().then(({ CloudWatchLogsClient }) => new CloudWatchLogsClient(sharedClientConfig(this.settings)));
    return this.logsClient;
  }

  autoscaling(): Promise<ApplicationAutoScalingClient> {
    this.autoscalingClient ??= loadSdk().then(({ ApplicationAutoScalingClient }) => new ApplicationAutoScalingClient(sharedClientConfig(this.settings)));
    return this.autoscalingClient;
  }

  /** CloudWatch metrics (training curves). */
  cloudWatch(): Promise<CloudWatchClient> {
    this.cloudWatchClient ??= loadSdk().then(({ CloudWatchClient }) => new CloudWatchClient(sharedClientConfig(this.settings)));
    return this.cloudWatchClient;
  }

  sageMakerRuntime(): Promise<SageMakerRuntimeClient> {
    this.sageMakerRuntimeClient ??= loadRuntimeSdk().then(
      ({ SageMakerRuntimeClient }) => new SageMakerRuntimeClient(sharedClientConfig(this.settings)),
    );
    return this.sageMakerRuntimeClient;
  }

  dispose(): void {
    void this.s3Client?.then((client) => client.destroy());
    void this.sageMakerClient?.then((client) => client.destroy());
    void this.sageMakerRuntimeClient?.then((client) => client.destroy());
    void this.logsClient?.then((client) => client.destroy());
    void this.autoscalingClient?.then((client) => client.destroy());
    void this.cloudWatchClient?.then((client) => client.destroy());
  }
}
