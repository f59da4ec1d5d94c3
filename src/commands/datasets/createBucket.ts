// "SageMaker: Create Bucket" — a home for datasets, checkpoints and model artifacts.
import * as vscode from 'vscode';
import { loadSdk } from '../../aws/clients';
import { about } from '../../failures/resources';
import { bucketNameProblem } from '../../pickers/pickBucket';
import type { Workbench } from '../../workbench';

export async function createBucket(workbench: Pick<Workbench, 'connection' | 'datasets'>): Promise<void> {
  const { connection, datasets } = workbench;
  const { clients, region } = { clients: connection.clients, region: connection.settings.region };
  const name = await vscode.window.showInputBox({
    title: 'Create S3 Bucket',
    prompt: `Bucket names are global across AWS; it will be created in ${region}.`,
    placeHolder: 'my-llm-datasets',
    validateInput: bucketNameProblem,
  });
  if (!name) {
    return;
  }
  const { CreateBucketCommand } = await loadSdk();
  const s3 = await clients.s3();
  await about(
    { kind: 'bucket', name },
    s3.send(
      new CreateBucketCommand({
        Bucket: name,
        // us-east-1 is the one region that rejects an explicit location constraint.
        CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never },
      }),
    ),
  );
  datasets.refresh();
  void vscode.window.showInformationMessage(`Created bucket s3://${name}.`);
}
