// Datasets view: buckets → prefixes → objects, as the S3 console shows them.
import * as vscode from 'vscode';
import { baseName, listBuckets, listPrefix, type DatasetObject } from '../pipeline/datasets';
import { formatBytes } from '../format';
import { isTextName } from '../pipeline/s3Text';
import { PagedChildren } from './nodes';
import { ResourceTree } from './resourceTree';
import type { Services } from '../services';

/** A bucket or a prefix inside it: both list the same way. */
export abstract class S3FolderTreeItem extends vscode.TreeItem {
  readonly children: PagedChildren<vscode.TreeItem>;

  constructor(label: string, readonly bucket: string, readonly prefix: string, tree: DatasetsTree) {
    super(label, vscode.TreeItemCollapsibleState.Collapsed);
    this.children = new PagedChildren(async (token) => {
      const page = await listPrefix(await tree.s3(), bucket, prefix, token);
      return {
        items: [
          ...page.prefixes.map((child) => new PrefixTreeItem(bucket, child, tree)),
          ...page.objects.map((object) => new ObjectTreeItem(object)),
        ],
        nextToken: page.nextToken,
      };
    });
  }

  get s3Uri(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }
}

export class BucketTreeItem extends S3FolderTreeItem {
  constructor(name: string, createdAt: Date | undefined, tree: DatasetsTree) {
    super(name, name, '', tree);
    this.id = `s3://${name}/`;
    this.contextValue = 'bucket';
    this.iconPath = new vscode.ThemeIcon('archive');
    this.tooltip = createdAt ? `s3://${name}\nCreated ${createdAt.toLocaleString()}` : `s3://${name}`;
  }
}

export class PrefixTreeItem extends S3FolderTreeItem {
  constructor(bucket: string, prefix: string, tree: DatasetsTree) {
    super(baseName(prefix), bucket, prefix, tree);
    this.id = `s3://${bucket}/${prefix}`;
    this.contextValue = 'prefix';
    this.iconPath = vscode.ThemeIcon.Folder;
    this.tooltip = this.s3Uri;
  }
}

export class ObjectTreeItem extends vscode.TreeItem {
  constructor(readonly object: DatasetObject) {
    super(baseName(object.key), vscode.TreeItemCollapsibleState.None);
    this.id = `s3://${object.bucket}/${object.key}`;
    // A model archive can be deployed from its context menu.
    this.contextValue = object.key.endsWith('.tar.gz') ? 'object.modelArchive' : 'object';
    this.iconPath = vscode.ThemeIcon.File;
    this.resourceUri = vscode.Uri.parse(`s3://${object.bucket}/${encodeURI(object.key)}`);
    this.description = formatBytes(object.size);
    // A text object (by its name) opens in a read-only editor on a click.
    if (isTextName(object.key)) this.command = { command: 'sagemaker.datasets.open', title: 'Open', arguments: [this] };
    this.tooltip = [this.id, formatBytes(object.size), object.lastModified && `Modified ${object.lastModified.toLocaleString()}`]
      .filter(Boolean)
      .join('\n');
  }
}

export class DatasetsTree extends ResourceTree {
  constructor(services: Services) {
    super(services, 'datasets', 'sagemaker.datasets.refresh');
  }

  protected async rootPage() {
    const buckets = await listBuckets(await this.s3());
    return { items: buckets.map((bucket) => new BucketTreeItem(bucket.name, bucket.createdAt, this)) };
  }

  protected childrenOf(element: vscode.TreeItem) {
    return element instanceof S3FolderTreeItem ? element.children : undefined;
  }
}
