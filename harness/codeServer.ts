// A real VS Code (code-server) for npm start and the integration and UI tests: fresh home, user
// data and extensions folders per run, the extension installed from its .vsix or loaded from source.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER_BIN } from './paths';
import { freePort, spawnGroup, stopGroup, waitForHttp } from './processes';

export interface CodeServer {
  url: string;
  port: number;
  /** Opens `folder` in the workbench. */
  folderUrl(folder: string, payload?: [string, string][]): string;
  /** A `vscode-remote://` URI for a path on this machine, for payload parameters. */
  remoteUri(absolutePath: string): string;
  log: () => string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** User settings, e.g. the emulator URL. */
  settings: Record<string, unknown>;
  /** A packaged extension to install first. */
  vsix?: string;
  /** Unpacked extension folders (with a package.json) to install by copying. */
  unpacked?: string[];
  port?: number;
  /** Where the run's home, user data and extensions go; a new temp folder by default. */
  root?: string;
  /** Extra environment for code-server and so its extension host. */
  env?: Record<string, string>;
}

const QUIET_WORKBENCH = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), 'sagemaker-vscode-'));
  const home = path.join(root, 'home');
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(home, { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_WORKBENCH, ...options.settings }, null, 2),
  );
  writeFileSync(path.join(home, 'code-server.yaml'), 'auth: none\n');
  const env = { ...process.env, ...options.env, HOME: home };
  const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  for (const folder of options.unpacked ?? []) {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    cpSync(folder, path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }
  if (options.vsix) {
    await promisify(execFile)(CODE_SERVER_BIN, ['--install-extension', options.vsix, ...dirs], { env });
  }
  const port = options.port ?? (await freePort());
  const child = spawnGroup(
    CODE_SERVER_BIN,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--config', path.join(home, 'code-server.yaml'),
      ...dirs,
    ],
    { env },
  );
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, 30_000);
  } catch (error) {
    await stopGroup(child);
    throw new Error(`${(error as Error).message}\ncode-server said:\n${log.slice(-3000)}`);
  }
  return {
    url,
    port,
    folderUrl: (folder, payload) =>
      `${url}/?folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`,
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${port}${absolutePath}`,
    log: () => log,
    stop: () => stopGroup(child),
  };
}
