// The environment of every process the emulator starts — training hosts, processing instances,
// transform and endpoint containers, built-in images — built here and nowhere else, from nothing
// but these layers (a later one wins):
//  1. From the emulator's own environment only what a program needs to run on this machine: PATH,
//     HOME, the locale (LANG, LANGUAGE, LC_*), TZ, the temporary folder, and on Windows the few
//     variables its programs cannot start without. Nothing else of the host's: no AWS_* credentials
//     or profiles, no tokens, no VS Code or terminal variables.
//  2. The image's `env` from the image map (a local command's own needs, e.g. PYTHONPATH).
//  3. The job's (or model's) Environment from its request.
//  4. The container contract's variables (SM_*, TRAINING_JOB_NAME, SAGEMAKER_BIND_TO_PORT, …).
//  5. How to reach AWS, which is the emulator: AWS_ENDPOINT_URL, credentials the emulator issued for
//     the job's account, its region, and shared config and credentials files that are empty. These
//     always win, so a script's boto3 or SDK calls reach the emulator and never real AWS, and no
//     AWS_PROFILE or credential a layer above names can point them elsewhere.
import { devNull } from 'node:os';
import type { EmulatorAccess } from './runtimeClients';

/** An environment made by `hostEnvironment`: the only kind HostProcess starts a process with. */
export type HostEnvironment = Readonly<Record<string, string>> & { readonly __builtBy: 'hostEnvironment' };

export interface HostEnvironmentLayers {
  /** The job's account and region, reached at the emulator. */
  access: EmulatorAccess;
  /** The image map's `env` for the command. */
  image?: Readonly<Record<string, string>>;
  /** The request's Environment (CreateTrainingJob, CreateModel, CreateTransformJob, …). */
  job?: Readonly<Record<string, string>>;
  /** The container contract's variables. */
  contract: Readonly<Record<string, string>>;
}

/** What a program needs from the host to run at all; matched case-insensitively (Windows names vary). */
const HOST_ESSENTIALS = new Set(['path', 'home', 'lang', 'language', 'tz', 'tmpdir', 'tmp', 'temp']);
const HOST_LOCALE = /^lc_[a-z]+$/i;
/** Windows programs (Python among them) fail without these. */
const WINDOWS_ESSENTIALS = new Set(['systemroot', 'systemdrive', 'windir', 'comspec', 'pathext', 'userprofile', 'appdata', 'localappdata', 'programdata']);

/**
 * The variables through which an SDK finds credentials, a profile or an endpoint. The emulator sets
 * the ones it needs itself; any other from the layers above is dropped.
 */
const AWS_ACCESS_VARIABLES = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN|CREDENTIAL_EXPIRATION|PROFILE|DEFAULT_PROFILE|CONFIG_FILE|SHARED_CREDENTIALS_FILE|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_\w+|CONTAINER_AUTHORIZATION_TOKEN\w*|EC2_METADATA_\w+|ENDPOINT_URL(_\w+)?|IGNORE_CONFIGURED_ENDPOINT_URLS|USE_FIPS_ENDPOINT|USE_DUALSTACK_ENDPOINT|REGION|DEFAULT_REGION|SSO_\w+)$/i;

export function hostEnvironment(layers: HostEnvironmentLayers, host: NodeJS.ProcessEnv = process.env): HostEnvironment {
  const environment: Record<string, string> = hostEssentials(host);
  Object.assign(environment, layers.image, layers.job, layers.contract);
  for (const name of Object.keys(environment)) {
    if (AWS_ACCESS_VARIABLES.test(name)) delete environment[name];
  }
  const { endpointUrl, region, credentials } = layers.access;
  Object.assign(environment, {
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // No profile of the user's can add credentials, an endpoint or a credential process.
    AWS_CONFIG_FILE: devNull,
    AWS_SHARED_CREDENTIALS_FILE: devNull,
    // Nor may an SDK ask an instance metadata service this machine might have.
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return environment as HostEnvironment;
}

/** Layer 1 alone: what a program needs from the host to run at all (also for the emulator's probes of an image, e.g. its pip). */
export function hostEssentials(host: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && isHostEssential(name)) environment[name] = value;
  }
  return environment;
}

function isHostEssential(name: string): boolean {
  const lower = name.toLowerCase();
  return HOST_ESSENTIALS.has(lower) || HOST_LOCALE.test(name) || (process.platform === 'win32' && WINDOWS_ESSENTIALS.has(lower));
}
