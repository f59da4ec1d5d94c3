// Execution roles a user can pick instead of typing an ARN: the roles the region's recent models and
// training jobs run as (SageMaker keeps them; listing IAM would need more permissions than most
// SageMaker users have), each with the resource that uses it.
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';

export interface KnownRole {
  arn: string;
  /** e.g. "model chat-gpt-v1", the newest resource seen using it. */
  usedBy: string;
}

// A path (segments ending in /) and a name of at most 64 of IAM's name characters.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Why `value` is not an IAM role ARN, if it is not. */
export function roleArnProblem(value: string): string | undefined {
  return ROLE_ARN.test(value) ? undefined : 'An IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>';
}

/** "SageMakerExecutionRole" from its ARN (a role's path, e.g. service-role/, kept). */
export function roleName(arn: string): string {
  return arn.replace(/^arn:[^:]*:iam::\d{12}:role\//, '');
}

/** Each role once, in the order first seen (newest use first). */
export function distinctRoles(uses: (KnownRole | undefined)[]): KnownRole[] {
  const seen = new Map<string, KnownRole>();
  for (const use of uses) if (use && !seen.has(use.arn)) seen.set(use.arn, use);
  return [...seen.values()];
}

/**
 * The roles of the `perKind` newest models and training jobs, newest use first. A resource deleted
 * between its listing and its description is skipped; a listing that fails is thrown.
 */
export async function knownExecutionRoles(sageMaker: SageMakerClient, perKind = 10): Promise<KnownRole[]> {
  const sdk = await loadSdk();
  const [models, jobs] = await Promise.all([
    sageMaker.send(new sdk.ListModelsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: perKind })),
    sageMaker.send(new sdk.ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: perKind })),
  ]);
  const modelRoles = (models.Models ?? []).map(async (model) => {
    const described = await sageMaker.send(new sdk.DescribeModelCommand({ ModelName: model.ModelName })).catch(() => undefined);
    return { at: model.CreationTime?.getTime() ?? 0, role: described?.ExecutionRoleArn && { arn: described.ExecutionRoleArn, usedBy: `model ${model.ModelName}` } };
  });
  const jobRoles = (jobs.TrainingJobSummaries ?? []).map(async (job) => {
    const described = await sageMaker.send(new sdk.DescribeTrainingJobCommand({ TrainingJobName: job.TrainingJobName })).catch(() => undefined);
    return { at: job.CreationTime?.getTime() ?? 0, role: described?.RoleArn && { arn: described.RoleArn, usedBy: `training job ${job.TrainingJobName}` } };
  });
  const uses = (await Promise.all([...modelRoles, ...jobRoles])).sort((a, b) => b.at - a.at);
  return distinctRoles(uses.map((use) => use.role || undefined));
}
