// Shows a training job in the Training Jobs view, selected: after a launch or a resume the new job
// is where the user looks next (it is the newest, so it is on the first page).
import type { Workbench } from '../workbench';
import { TrainingJobTreeItem } from './trainingJobsTree';

export async function revealTrainingJob(workbench: Workbench, name: string): Promise<TrainingJobTreeItem | undefined> {
  workbench.trainingJobs.refresh();
  const items = await workbench.trainingJobs.getChildren();
  const item = items.find((candidate): candidate is TrainingJobTreeItem => candidate instanceof TrainingJobTreeItem && candidate.job.name === name);
  if (item) await workbench.trainingJobsView.reveal(item, { select: true, focus: false });
  return item;
}
