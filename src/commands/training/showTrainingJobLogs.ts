// "SageMaker: Show Training Job Logs" — the job's CloudWatch logs from all hosts, followed while it runs.
// Given a job's name (the Retry lens of a log that could not be read), it opens that job's log afresh.
import { pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

export async function showTrainingJobLogs(workbench: Pick<Workbench, 'connection' | 'trainingJobLogs'>, target?: TrainingJobTreeItem | string): Promise<void> {
  const name = typeof target === 'string' ? target : (target?.job.name ?? (await pickTrainingJob(workbench, { title: 'Show Training Job Logs' })));
  if (name) await workbench.trainingJobLogs.show(name);
}
