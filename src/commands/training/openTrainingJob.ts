// "SageMaker: Open Training Job" — the job's panel (clicked in the view, or picked from the palette).
import { pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

export async function openTrainingJob(workbench: Pick<Workbench, 'connection' | 'trainingJobPanels'>, node?: TrainingJobTreeItem): Promise<void> {
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Open Training Job' }));
  if (name) workbench.trainingJobPanels.show(name);
}
