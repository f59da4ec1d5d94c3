// "SageMaker: Open Output" — a batch transform job's `.out` object (its answers) in a read-only editor.
import * as vscode from 'vscode';
import { listOutputObjects, listTransformJobs, transformOutputUri } from '../pipeline/batchTransform';
import type { TransformOutputTreeItem } from '../trees/transformJobsTree';
import type { Workbench } from '../workbench';

export async function openTransformOutput(workbench: Pick<Workbench, 'connection' | 's3Documents'>, node?: TransformOutputTreeItem): Promise<vscode.TextDocument | undefined> {
  const object = node?.object ?? (await pickOutput(workbench));
  if (!object) return undefined;
  return workbench.s3Documents.show(object.bucket, object.key);
}

/** A completed job, then one of its `.out` objects. */
async function pickOutput(workbench: Pick<Workbench, 'connection'>) {
  const sageMaker = await workbench.connection.clients.sageMaker();
  const jobs = (await listTransformJobs(sageMaker, { pageSize: 100 })).items.filter((job) => job.status === 'Completed');
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(`No completed batch transform job in ${workbench.connection.settings.region}.`);
    return undefined;
  }
  const job = await vscode.window.showQuickPick(jobs.map((summary) => ({ label: summary.name, summary })), { title: 'Open Output', placeHolder: 'Batch transform job' });
  if (!job) return undefined;
  const outputUri = await transformOutputUri(sageMaker, job.label);
  const objects = outputUri ? (await listOutputObjects(await workbench.connection.clients.s3(), outputUri)).items : [];
  if (objects.length === 0) {
    void vscode.window.showInformationMessage(`Batch transform job ${job.label} wrote no .out objects under ${outputUri}.`);
    return undefined;
  }
  if (objects.length === 1) return objects[0];
  return (await vscode.window.showQuickPick(objects.map((object) => ({ label: object.key, object })), { title: 'Open Output', placeHolder: `Answers of ${job.label}` }))?.object;
}
