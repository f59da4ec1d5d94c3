// The connection settings, read and validated in one place. Pure: no `vscode` import, so the rules
// are unit-tested directly and every error names the setting the user has to fix.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const SETTING = {
  mode: 'sagemaker.connection.mode',
  profile: 'sagemaker.connection.profile',
  region: 'sagemaker.connection.region',
  emulatorUrl: 'sagemaker.emulator.url',
  emulatorAutoStart: 'sagemaker.emulator.autoStart',
  emulatorDataDir: 'sagemaker.emulator.dataDir',
} as const;

export type ConnectionMode = 'aws' | 'emulator';

export type ConnectionSettings =
  | { readonly mode: 'aws'; readonly region: string; readonly profile: string | undefined }
  | {
      readonly mode: 'emulator';
      readonly region: string;
      /** Normalised origin, e.g. `http://127.0.0.1:4590`. */
      readonly endpoint: string;
      readonly autoStart: boolean;
      /** The folder a local emulator keeps its state in (absolute); absent: VS Code's storage for the extension. */
      readonly dataDir?: string;
    };

export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads one setting by its full id, e.g. `sagemaker.connection.region`. */
export type SettingReader = (id: string) => unknown;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function parseConnectionSettings(read: SettingReader): ConnectionSettings {
  const mode = read(SETTING.mode) ?? 'emulator';
  if (mode !== 'aws' && mode !== 'emulator') {
    throw new SettingsError(SETTING.mode, `Setting ${SETTING.mode} must be "aws" or "emulator", not ${JSON.stringify(mode)}.`);
  }
  const region = readRegion(read);
  if (mode === 'aws') {
    const profile = read(SETTING.profile);
    if (profile !== undefined && profile !== null && typeof profile !== 'string') {
      throw new SettingsError(SETTING.profile, `Setting ${SETTING.profile} must be a profile name.`);
    }
    return { mode, region, profile: profile?.trim() || undefined };
  }
  const autoStart = read(SETTING.emulatorAutoStart) ?? true;
  if (typeof autoStart !== 'boolean') {
    throw new SettingsError(SETTING.emulatorAutoStart, `Setting ${SETTING.emulatorAutoStart} must be true or false.`);
  }
  const dataDir = parseDataDir(read(SETTING.emulatorDataDir));
  return { mode, region, endpoint: parseEmulatorUrl(read(SETTING.emulatorUrl)), autoStart, ...(dataDir ? { dataDir } : {}) };
}

/** An absolute folder (`~/` is the home folder), or undefined for the default. */
function parseDataDir(value: unknown): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const text = typeof value === 'string' ? value.trim() : undefined;
  const expanded = text?.startsWith('~/') ? join(homedir(), text.slice(2)) : text;
  if (!expanded || !isAbsolute(expanded)) {
    throw new SettingsError(
      SETTING.emulatorDataDir,
      `Setting ${SETTING.emulatorDataDir} must be an absolute folder path (or empty for VS Code's own storage), not ${JSON.stringify(value)}.`,
    );
  }
  return resolve(expanded);
}

function readRegion(read: SettingReader): string {
  const region = read(SETTING.region) ?? 'us-east-1';
  if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
    throw new SettingsError(
      SETTING.region,
      `Setting ${SETTING.region} must be an AWS region such as "us-east-1", not ${JSON.stringify(region)}.`,
    );
  }
  return region;
}

function parseEmulatorUrl(value: unknown): string {
  const text = value ?? DEFAULT_EMULATOR_URL;
  let url: URL | undefined;
  try {
    url = typeof text === 'string' ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search) {
    throw new SettingsError(
      SETTING.emulatorUrl,
      `Setting ${SETTING.emulatorUrl} must be an http(s) URL with a host and port, such as "${DEFAULT_EMULATOR_URL}", not ${JSON.stringify(text)}.`,
    );
  }
  return url.origin;
}

export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:4590';

/** The emulator can only be started for a URL on this machine. */
export function isLoopbackUrl(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Short human label, e.g. "Emulator 127.0.0.1:4590 · us-east-1" or "AWS dev · eu-west-1". */
export function describeConnection(settings: ConnectionSettings): string {
  return settings.mode === 'emulator'
    ? `Emulator ${new URL(settings.endpoint).host} · ${settings.region}`
    : `AWS ${settings.profile ?? 'default'} · ${settings.region}`;
}
