// An S3 prefix picked by browsing the Datasets (buckets, then folders), or typed as an s3:// URI.
import * as vscode from 'vscode';
import { baseName, listBuckets, listPrefix } from '../pipeline/datasets';
import type { Services } from '../services';

const S3_PREFIX = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

type Item = vscode.QuickPickItem & { uri?: string; open?: { bucket: string; prefix: string } };

/** Browses down from the buckets until a folder is taken ("Use s3://…/") or a URI is typed. */
export async function pickS3Prefix(services: Pick<Services, 'connection'>, options: { title: string; placeHolder: string }): Promise<string | undefined> {
  const s3 = await services.connection.clients.s3();
  let at: { bucket: string; prefix: string } | undefined;
  for (;;) {
    const items: Item[] = at
      ? [
          { label: `$(check) Use s3://${at.bucket}/${at.prefix}`, uri: `s3://${at.bucket}/${at.prefix}` },
          ...(await listPrefix(s3, at.bucket, at.prefix)).prefixes.map((prefix) => ({ label: `$(folder) ${baseName(prefix)}`, open: { bucket: at!.bucket, prefix } })),
        ]
      : (await listBuckets(s3)).map((bucket) => ({ label: `$(archive) ${bucket.name}`, open: { bucket: bucket.name, prefix: '' } }));
    const picked = await typedOrPicked(items, options.title, at ? `s3://${at.bucket}/${at.prefix} — pick a folder, or type an s3:// URI` : options.placeHolder);
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    at = picked.open;
  }
}

function typedOrPicked(items: Item[], title: string, placeHolder: string): Promise<Item | undefined> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = title;
  pick.placeholder = placeHolder;
  pick.items = items;
  return new Promise<Item | undefined>((resolve) => {
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      pick.items = S3_PREFIX.test(typed) ? [{ label: `Use ${typed}`, uri: typed, alwaysShow: true }, ...items] : items;
    });
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  }).finally(() => pick.dispose());
}
