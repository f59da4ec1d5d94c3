// "SageMaker: Show Training Job Logs" — the job's CloudWatch logs from all hosts, followed while it runs.
import { pickTrainingJob } from '../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';
import type { Workbench } from '../workbench';

export async function showTrainingJobLogs(workbench: Pick<Workbench, 'connection' | 'trainingJobLogs'>, node?: TrainingJobTreeItem): Promise<void> {
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Show Training Job Logs' }));
  if (name) await workbench.trainingJobLogs.show(name);
}
