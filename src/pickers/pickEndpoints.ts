// One or two endpoints to run prompt tests against (two: their answers side by side): the region's
// InService endpoints to tick, or a name typed in (offered as "Use …"). At most two are accepted.
import * as vscode from 'vscode';
import { listEndpoints } from '../pipeline/endpoints';
import { nameProblem } from '../pipeline/names';
import type { Services } from '../services';

export const MAX_PICKED_ENDPOINTS = 2;

export async function pickEndpoints(services: Pick<Services, 'connection'>, options: { title: string; preselect: readonly string[] }): Promise<string[] | undefined> {
  const { connection } = services;
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = options.title;
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  pick.placeholder = `Tick one endpoint, or two to compare them (or type a name)`;
  pick.busy = true;
  let listed: vscode.QuickPickItem[] = options.preselect.map((name) => ({ label: name, description: 'picked last time' }));
  let typed: vscode.QuickPickItem[] = [];
  const render = () => {
    const selected = new Set(pick.selectedItems.map((item) => item.label));
    const value = pick.value.trim();
    typed = value && !listed.some((item) => item.label === value) && !typed.some((item) => item.label === value) ? [{ label: value, description: nameProblem(value) ? `not a valid name: ${nameProblem(value)}` : 'use this name (not listed)', alwaysShow: true }] : typed.filter((item) => selected.has(item.label));
    pick.items = [...typed, ...listed];
    pick.selectedItems = pick.items.filter((item) => selected.has(item.label));
  };
  pick.show();
  pick.items = listed;
  pick.selectedItems = listed;
  const loading = listEndpoints(await connection.clients.sageMaker(), { pageSize: 100, status: 'InService' }).then(
    (page) => {
      const selected = new Set([...pick.selectedItems.map((item) => item.label), ...options.preselect]);
      listed = page.endpoints.map((endpoint) => ({ label: endpoint.name, description: endpoint.status }));
      for (const name of options.preselect) if (!listed.some((item) => item.label === name)) listed.unshift({ label: name, description: 'not InService now' });
      pick.busy = false;
      if (listed.length === 0) pick.placeholder = `No endpoint is InService in ${connection.settings.region}. Type a name.`;
      pick.items = [...typed, ...listed];
      pick.selectedItems = pick.items.filter((item) => selected.has(item.label));
    },
    (error: unknown) => error,
  );
  try {
    return await new Promise<string[] | undefined>((resolve) => {
      pick.onDidChangeValue(render);
      pick.onDidAccept(() => {
        const names = pick.selectedItems.map((item) => item.label).filter((name) => !nameProblem(name));
        if (names.length === 0 && pick.value.trim() && !nameProblem(pick.value.trim())) names.push(pick.value.trim());
        if (names.length > MAX_PICKED_ENDPOINTS) {
          pick.placeholder = `At most ${MAX_PICKED_ENDPOINTS} endpoints: untick ${names.length - MAX_PICKED_ENDPOINTS}.`;
          return;
        }
        if (names.length > 0) {
          resolve(names);
          pick.hide();
        }
      });
      pick.onDidHide(() => resolve(undefined));
    }).then(async (names) => {
      const failure = names ? undefined : await loading;
      if (failure) throw failure;
      return names;
    });
  } finally {
    pick.dispose();
  }
}
