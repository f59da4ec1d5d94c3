// "SageMaker: Switch Connection": pick the local emulator or an AWS profile (SSO profiles included),
// then a region. Writes the settings where they are currently defined.
import * as vscode from 'vscode';
import { loadSdk } from '../aws/clients';
import type { Connection } from '../connection/connection';
import { DEFAULT_EMULATOR_URL, SETTING } from '../connection/settings';

interface ConnectionPick extends vscode.QuickPickItem {
  mode: 'aws' | 'emulator';
  profile?: string;
}

const COMMON_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2'];

export async function switchConnection(connection: Connection): Promise<void> {
  const current = connection.inspect();
  const configuration = vscode.workspace.getConfiguration();
  const emulatorUrl = configuration.get<string>(SETTING.emulatorUrl) ?? DEFAULT_EMULATOR_URL;
  const profiles = await listProfiles();
  const picks: ConnectionPick[] = [
    { mode: 'emulator', label: '$(vm) Local emulator', description: emulatorUrl, detail: 'Runs the whole pipeline offline' },
    { kind: vscode.QuickPickItemKind.Separator, label: 'AWS profiles', mode: 'aws' },
    ...profiles.map((profile) => ({
      mode: 'aws' as const,
      profile: profile.name,
      label: `$(cloud) ${profile.name}`,
      description: profile.sso ? 'SSO' : undefined,
    })),
    { mode: 'aws', label: '$(cloud) Default credential chain', detail: 'Environment variables, instance or container role' },
  ];
  const activeLabel = 'settings' in current ? current.settings : undefined;
  const picked = await vscode.window.showQuickPick(picks, {
    title: 'Switch SageMaker Connection',
    placeHolder: activeLabel ? `Connected to ${activeLabel.mode === 'aws' ? `AWS (${activeLabel.profile ?? 'default chain'})` : 'the local emulator'}` : 'Choose a connection',
  });
  if (!picked) {
    return;
  }
  const region = await pickRegion(configuration.get<string>(SETTING.region) ?? 'us-east-1');
  if (!region) {
    return;
  }
  await update(SETTING.mode, picked.mode);
  if (picked.mode === 'aws') {
    await update(SETTING.profile, picked.profile ?? '');
  }
  await update(SETTING.region, region);
}

async function pickRegion(current: string): Promise<string | undefined> {
  const regions = [current, ...COMMON_REGIONS.filter((region) => region !== current)];
  const items: vscode.QuickPickItem[] = [...regions.map((label) => ({ label })), { label: 'Other…' }];
  const picked = await vscode.window.showQuickPick(items, { title: 'Region', placeHolder: current });
  if (picked?.label !== 'Other…') {
    return picked?.label;
  }
  return vscode.window.showInputBox({
    title: 'Region',
    value: current,
    validateInput: (value) => (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value) ? undefined : 'An AWS region such as eu-west-3'),
  });
}

/** Updates a setting at the level where it is set now, so a workspace override keeps winning. */
async function update(id: string, value: string): Promise<void> {
  const configuration = vscode.workspace.getConfiguration();
  const inspected = configuration.inspect(id);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await configuration.update(id, value, target);
}

async function listProfiles(): Promise<{ name: string; sso: boolean }[]> {
  const { loadSharedConfigFiles } = await loadSdk();
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)]);
  return [...names].sort().map((name) => ({
    name,
    sso: Boolean(configFile[name]?.sso_session || configFile[name]?.sso_start_url),
  }));
}
