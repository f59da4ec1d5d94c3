// "SageMaker: Clone Job to Spec File" — a training job's DescribeTrainingJob written back as the
// request that creates it (only the request's members, its tags too), under a free name, as
// `<name>.training.json|yaml` beside the workspace's other specs, opened for editing and Launch.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadSdk } from '../../aws/clients';
import { freeName } from '../../pipeline/names';
import { trainingJobNameHolder } from '../../pipeline/trainingJobs';
import type { SpecFormat } from '../../pipeline/specs/specDocument';
import { cloneTrainingSpec, specText } from '../../pipeline/specs/trainingSpecs';
import { describeTrainingJob } from '../../pipeline/trainingJobs';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';
import { pickTrainingJob } from '../../pickers/pickTrainingJob';

export async function cloneTrainingJobToSpec(workbench: Workbench, node?: TrainingJobTreeItem, given: { format?: SpecFormat; folder?: vscode.Uri } = {}): Promise<vscode.Uri | undefined> {
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Clone Job to Spec File' }));
  if (!name) return undefined;
  const sageMaker = await workbench.connection.clients.sageMaker();
  const description = await describeTrainingJob(sageMaker, name);
  const { ListTagsCommand } = await loadSdk();
  const tags = description.TrainingJobArn ? ((await sageMaker.send(new ListTagsCommand({ ResourceArn: description.TrainingJobArn }))).Tags ?? []) : [];
  const newName = await freeName(name, async (candidate) => (await trainingJobNameHolder(sageMaker, candidate)) !== undefined);
  const format = given.format ?? (await vscode.window.showQuickPick([{ label: 'YAML', format: 'yaml' as const }, { label: 'JSON', format: 'json' as const }], { title: `Clone ${name} to a spec file: format` }))?.format;
  if (!format) return undefined;
  const text = specText(cloneTrainingSpec(description, newName, tags), format);
  const folder = given.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  let uri: vscode.Uri;
  if (folder) {
    const exists = (candidate: string) => fs.access(path.join(folder.fsPath, `${candidate}.training.${format}`)).then(() => true, () => false);
    uri = vscode.Uri.joinPath(folder, `${await freeName(newName, exists)}.training.${format}`);
    await fs.writeFile(uri.fsPath, text);
  } else {
    uri = vscode.Uri.from({ scheme: 'untitled', path: `/${newName}.training.${format}` });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), text);
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}
