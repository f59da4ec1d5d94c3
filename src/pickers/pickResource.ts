// The one quick pick every resource is asked for with: it opens at once and fills in as the
// resources load, and a name that is not listed can still be typed (offered as "Use …"), since a
// list may be partial or lag behind. Failing to list is thrown to the command's error handler, which
// says why with the next step.
import * as vscode from 'vscode';

export interface ResourcePick<T> {
  title: string;
  placeholder: string;
  /** The listed resources, each an item of the pick. */
  load: () => Promise<(vscode.QuickPickItem & { resource: T })[]>;
  /** What a typed, unlisted name becomes; without it only listed resources can be picked. */
  typed?: (name: string) => T | Promise<T>;
  /** Why a typed name is not a valid name, if it is not. */
  validate?: (name: string) => string | undefined;
  /** Said when nothing is listed and nothing can be typed. */
  nothingListed: string;
}

type Item<T> = vscode.QuickPickItem & { resource?: T; typedName?: string };

export async function pickResource<T>(options: ResourcePick<T>): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<Item<T>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.show();
  let listed: Item<T>[] = [];
  let loadError: { error: unknown } | undefined;
  const update = () => {
    const value = pick.value.trim();
    const exact = listed.find((item) => item.label === value);
    const problem = value && options.validate?.(value);
    const typed: Item<T>[] =
      options.typed && value && !exact
        ? [{ label: value, description: problem ? `not a valid name: ${problem}` : 'use this name (not listed)', typedName: problem ? undefined : value, alwaysShow: true }]
        : [];
    pick.items = [...typed, ...listed];
    if (exact) pick.activeItems = [exact];
  };
  const loading = options.load().then(
    (items) => {
      listed = items;
      pick.busy = false;
      if (items.length === 0 && !options.typed) {
        pick.hide();
        void vscode.window.showInformationMessage(options.nothingListed);
        return;
      }
      if (items.length === 0) pick.placeholder = `${options.nothingListed} Type a name.`;
      update();
    },
    (error: unknown) => {
      loadError = { error };
      pick.hide();
    },
  );
  const chosen = new Promise<Item<T> | undefined>((resolve) => {
    pick.onDidChangeValue(update);
    pick.onDidAccept(() => {
      // Enter right after typing may come before the items caught up with the value: the value decides.
      const value = pick.value.trim();
      const selected = pick.selectedItems[0];
      const stale = selected?.typedName !== undefined && selected.typedName !== value;
      const item =
        (stale ? undefined : selected) ??
        listed.find((candidate) => candidate.label === value) ??
        (options.typed && value && !options.validate?.(value) ? { label: value, typedName: value } : undefined);
      if (item && (item.resource !== undefined || item.typedName !== undefined)) {
        resolve(item);
        pick.hide();
      }
    });
    pick.onDidHide(() => resolve(undefined));
  });
  try {
    const item = await chosen;
    if (!item) {
      await loading;
      if (loadError) throw loadError.error;
      return undefined;
    }
    return item.typedName !== undefined ? await options.typed!(item.typedName) : item.resource;
  } finally {
    pick.dispose();
  }
}
