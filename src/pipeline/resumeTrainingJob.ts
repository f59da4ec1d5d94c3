// Resuming training: a new job with an ended job's configuration and the same checkpoint location.
// SageMaker copies that location into /opt/ml/checkpoints before the script starts, so a script that
// saves and loads its checkpoints there continues where the old job stopped (jobs cannot be
// restarted in place: a name is used once).
import type { CreateTrainingJobCommandInput, TrainingJobStatus } from '@aws-sdk/client-sagemaker';
import type { TrainingJobDescription } from './trainingJobs';

/** Why the job cannot be resumed, or undefined if it can. */
export function whyNotResumable(description: TrainingJobDescription): string | undefined {
  const name = description.TrainingJobName;
  const status: TrainingJobStatus | undefined = description.TrainingJobStatus;
  if (status === 'InProgress' || status === 'Stopping') return `Training job ${name} is ${status}: stop it, or let it end, before resuming it.`;
  if (!description.CheckpointConfig?.S3Uri) {
    return `Training job ${name} has no checkpoint location (CheckpointConfig): a new job would start from scratch, not resume.`;
  }
  return undefined;
}

/** `gpt-7` → `gpt-7-resume-1`; `gpt-7-resume-1` → `gpt-7-resume-2`; within 63 characters. */
export function resumedJobName(name: string): string {
  const match = /^(.*)-resume-(\d+)$/.exec(name);
  const base = match ? match[1] : name;
  const suffix = `-resume-${match ? Number(match[2]) + 1 : 1}`;
  return `${base.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** The CreateTrainingJob input that resumes `description` as `name`: its settings, none of its state. */
export function resumeInput(description: TrainingJobDescription, name: string): CreateTrainingJobCommandInput {
  const { AlgorithmSpecification, RoleArn, OutputDataConfig, ResourceConfig, StoppingCondition } = description;
  if (!AlgorithmSpecification || !RoleArn || !OutputDataConfig || !ResourceConfig || !StoppingCondition) {
    throw new Error(`the description of ${description.TrainingJobName} lacks a member CreateTrainingJob requires`);
  }
  return {
    TrainingJobName: name,
    AlgorithmSpecification,
    RoleArn,
    InputDataConfig: description.InputDataConfig,
    OutputDataConfig,
    ResourceConfig,
    StoppingCondition,
    HyperParameters: description.HyperParameters,
    CheckpointConfig: description.CheckpointConfig,
    Environment: description.Environment,
    VpcConfig: description.VpcConfig,
    EnableNetworkIsolation: description.EnableNetworkIsolation,
    EnableInterContainerTrafficEncryption: description.EnableInterContainerTrafficEncryption,
    EnableManagedSpotTraining: description.EnableManagedSpotTraining,
    RetryStrategy: description.RetryStrategy,
    TensorBoardOutputConfig: description.TensorBoardOutputConfig,
  };
}
