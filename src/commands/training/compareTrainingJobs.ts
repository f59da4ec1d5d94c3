// "SageMaker: Compare Training Jobs" — the jobs selected in Training Jobs (multi-select), or picked,
// with their metrics overlaid in one panel.
import * as vscode from 'vscode';
import { listTrainingJobs } from '../../pipeline/trainingJobs';
import { relativeTime } from '../../format';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

/** `node` is the item right-clicked, `selected` every selected one (VS Code passes both). */
export async function compareTrainingJobs(workbench: Workbench, node?: TrainingJobTreeItem, selected?: readonly TrainingJobTreeItem[], names?: string[]): Promise<vscode.WebviewPanel | undefined> {
  let jobs = names ?? [...new Set([...(selected ?? []), ...(node ? [node] : [])].map((item) => item.job.name))];
  if (jobs.length < 2) {
    const page = await listTrainingJobs(await workbench.connection.clients.sageMaker(), undefined, 100);
    const picked = await vscode.window.showQuickPick(
      page.jobs.map((job) => ({ label: job.name, description: job.createdAt ? `${job.status} · ${relativeTime(job.createdAt)}` : job.status, picked: jobs.includes(job.name) })),
      { title: 'Compare Training Jobs', placeHolder: 'Pick two or more jobs to overlay their metrics', canPickMany: true },
    );
    if (!picked) return undefined;
    jobs = picked.map((item) => item.label);
    if (jobs.length < 2) {
      void vscode.window.showInformationMessage('Pick at least two training jobs to compare.');
      return undefined;
    }
  }
  return workbench.compareTrainingJobPanels.show(jobs);
}
