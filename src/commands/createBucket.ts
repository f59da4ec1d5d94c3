// "SageMaker: Create Bucket" — a home for datasets, checkpoints and model artifacts.
import * as vscode from 'vscode';
import { loadSdk } from '../aws/clients';
import type { Connection } from '../connection/connection';

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export async function createBucket(connection: Connection, onCreated: () => void): Promise<void> {
  const { clients, region } = { clients: connection.clients, region: connection.settings.region };
  const name = await vscode.window.showInputBox({
    title: 'Create S3 Bucket',
    prompt: `Bucket names are global across AWS; it will be created in ${region}.`,
    placeHolder: 'my-llm-datasets',
    validateInput: (value) =>
      BUCKET_NAME.test(value) && !value.includes('..')
        ? undefined
        : '3–63 characters: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  });
  if (!name) {
    return;
  }
  const { CreateBucketCommand } = await loadSdk();
  const s3 = await clients.s3();
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      // us-east-1 is the one region that rejects an explicit location constraint.
      CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never },
    }),
  );
  onCreated();
  void vscode.window.showInformationMessage(`Created bucket s3://${name}.`);
}
