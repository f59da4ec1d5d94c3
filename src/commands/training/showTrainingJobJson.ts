// "SageMaker: Open Training Job as JSON" — the full DescribeTrainingJob output in a read-only editor.
import { pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

export async function showTrainingJobJson(workbench: Pick<Workbench, 'connection' | 'trainingJobDetails'>, node?: TrainingJobTreeItem): Promise<void> {
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Open Training Job as JSON' }));
  if (name) await workbench.trainingJobDetails.show(name);
}
