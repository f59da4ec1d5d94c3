// An S3 folder (bucket and prefix) picked as in the Datasets view: buckets, then their prefixes,
// going down and up, with the folder shown as the first item to take; an s3:// URI can be typed too.
// Failing to list closes the pick and is thrown to the command's error handler, which says why with
// the next step (as every resource pick does).
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { baseName, listBuckets, listPrefix, parseS3Uri } from '../pipeline/datasets';

export interface S3Location {
  bucket: string;
  /** '' or ending with `/`. */
  prefix: string;
}

type LocationItem = vscode.QuickPickItem & { go?: S3Location | 'buckets'; take?: S3Location };

export function s3UriOf(location: S3Location): string {
  return `s3://${location.bucket}/${location.prefix}`;
}

/**
 * Resolves to the folder taken, or undefined if dismissed. `start` opens the picker in a folder;
 * `canTakeBucket` lets a bucket's root be taken (uploads), not only a prefix (channels).
 */
export function pickS3Location(connection: Connection, options: { title: string; start?: S3Location; canTakeBucket?: boolean }): Promise<S3Location | undefined> {
  const quickPick = vscode.window.createQuickPick<LocationItem>();
  quickPick.title = options.title;
  quickPick.placeholder = 'Pick a folder, or type an s3://bucket/prefix/ URI';
  quickPick.matchOnDescription = true;

  let fail: (error: unknown) => void = () => undefined;
  const show = async (location: S3Location | undefined) => {
    quickPick.busy = true;
    quickPick.value = '';
    try {
      const s3 = await connection.clients.s3();
      if (!location) {
        const buckets = await listBuckets(s3);
        quickPick.items = buckets.map((bucket) => ({ label: `$(archive) ${bucket.name}`, go: { bucket: bucket.name, prefix: '' } }));
        if (buckets.length === 0) quickPick.items = [{ label: 'No S3 buckets yet: create one in the Datasets view, or type an s3:// URI' }];
      } else {
        const page = await listPrefix(s3, location.bucket, location.prefix);
        const up: S3Location | 'buckets' = location.prefix === '' ? 'buckets' : { bucket: location.bucket, prefix: location.prefix.slice(0, location.prefix.slice(0, -1).lastIndexOf('/') + 1) };
        const takeable = options.canTakeBucket || location.prefix !== '';
        quickPick.items = [
          ...(takeable ? [{ label: `$(check) Use ${s3UriOf(location)}`, description: `${page.objects.length}${page.nextToken ? '+' : ''} objects here`, take: location, alwaysShow: true }] : []),
          { label: '$(arrow-up) ..', go: up, alwaysShow: true },
          ...page.prefixes.map((prefix) => ({ label: `$(folder) ${baseName(prefix)}`, go: { bucket: location.bucket, prefix } })),
          ...page.objects.slice(0, 20).map((object) => ({ label: `$(file) ${baseName(object.key)}`, description: 'object' })),
        ];
      }
    } catch (error) {
      fail(error);
    } finally {
      quickPick.busy = false;
    }
  };

  return new Promise<S3Location | undefined>((resolve, reject) => {
    const subscriptions = [
      quickPick.onDidAccept(() => {
        const typed = parseS3Uri(quickPick.value.trim());
        if (typed && quickPick.value.trim().startsWith('s3://')) {
          const prefix = typed.key === '' || typed.key.endsWith('/') ? typed.key : `${typed.key}/`;
          finish({ bucket: typed.bucket, prefix });
          return;
        }
        const [item] = quickPick.selectedItems;
        if (item?.take) finish(item.take);
        else if (item?.go === 'buckets') void show(undefined);
        else if (item?.go) void show(item.go);
      }),
      quickPick.onDidHide(() => finish(undefined)),
    ];
    let done = false;
    const end = (settle: () => void) => {
      if (done) return;
      done = true;
      settle();
      subscriptions.forEach((subscription) => subscription.dispose());
      quickPick.dispose();
    };
    const finish = (location: S3Location | undefined) => end(() => resolve(location));
    fail = (error) => end(() => reject(error));
    quickPick.show();
    void show(options.start);
  });
}
