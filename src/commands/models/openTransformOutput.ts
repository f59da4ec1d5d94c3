// "SageMaker: Open Output" — a batch transform job's `.out` object (its answers) in a read-only editor.
import type * as vscode from 'vscode';
import { relativeTime } from '../../format';
import { listOutputObjects, listTransformJobs, transformOutputUri, type OutputObject } from '../../pipeline/batchTransform';
import { nameProblem } from '../../pipeline/names';
import { pickResource } from '../../pickers/pickResource';
import type { TransformOutputTreeItem } from '../../trees/transformJobsTree';
import type { Workbench } from '../../workbench';

export async function openTransformOutput(workbench: Pick<Workbench, 'connection' | 's3Objects'>, node?: TransformOutputTreeItem): Promise<vscode.TextDocument | undefined> {
  const object = node?.object ?? (await pickOutput(workbench));
  if (!object) return undefined;
  return (await workbench.s3Objects.show(object.bucket, object.key)).document;
}

/** A completed job (listed, or its name typed), then one of its `.out` objects. */
async function pickOutput(workbench: Pick<Workbench, 'connection'>): Promise<OutputObject | undefined> {
  const { connection } = workbench;
  const sageMaker = await connection.clients.sageMaker();
  const jobName = await pickResource({
    title: 'Open Output',
    placeholder: 'A completed batch transform job (or type its name)',
    load: async () =>
      (await listTransformJobs(sageMaker, { pageSize: 100 })).items
        .filter((job) => job.status === 'Completed')
        .map((job) => ({ label: job.name, description: job.endedAt && relativeTime(job.endedAt), resource: job.name })),
    typed: (name) => name,
    validate: nameProblem,
    nothingListed: `No completed batch transform job in ${connection.settings.region}.`,
  });
  if (!jobName) return undefined;
  const outputUri = await transformOutputUri(sageMaker, jobName);
  const objects = outputUri ? (await listOutputObjects(await connection.clients.s3(), outputUri)).items : [];
  if (objects.length === 1) return objects[0];
  return pickResource({
    title: 'Open Output',
    placeholder: `The answers of ${jobName}`,
    load: async () => objects.map((object) => ({ label: object.key, resource: object })),
    nothingListed: `Batch transform job ${jobName} wrote no .out objects under ${outputUri}.`,
  });
}
