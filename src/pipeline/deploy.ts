// Deploying a model archive (a training job's model.tar.gz) as a real-time endpoint, as the console's
// one-click deploy does: a model, an endpoint configuration with one variant, and the endpoint, all
// named after the endpoint. If a step fails, what the earlier steps created is deleted again, so a
// failed deploy leaves nothing half-made behind.
import type { CreateModelCommandInput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about, type ResourceRef } from '../failures/resources';
import { exists } from './names';
import type { TrainingJobDescription } from './trainingJobs';

export interface DeploymentPlan {
  /** Also the name of the model and of the endpoint configuration. */
  endpointName: string;
  /** `s3://…/model.tar.gz` */
  modelDataUrl: string;
  /** The inference container image. */
  image: string;
  /** The role SageMaker assumes to read the model and run the container. */
  executionRoleArn: string;
  instanceType: string;
  instanceCount: number;
}

/** Real-time inference instance types offered first (any other can be typed in). */
export const INSTANCE_TYPES = [
  'ml.g5.xlarge',
  'ml.g5.2xlarge',
  'ml.g5.12xlarge',
  'ml.g6.xlarge',
  'ml.g6e.xlarge',
  'ml.p4d.24xlarge',
  'ml.m5.large',
  'ml.m5.xlarge',
  'ml.c5.xlarge',
];

/** The emulator's built-in GPT: trained by it, it also serves what it trained. */
export const BUILTIN_GPT_IMAGE = 'sagemaker-emulator/builtin-gpt:latest';

/** What a completed training job gives a deployment: its model, its image and role as defaults. */
export function planFromTrainingJob(description: TrainingJobDescription): Partial<DeploymentPlan> {
  return {
    modelDataUrl: description.ModelArtifacts?.S3ModelArtifacts,
    image: description.AlgorithmSpecification?.TrainingImage,
    executionRoleArn: description.RoleArn,
    endpointName: description.TrainingJobName,
  };
}

/** Why the job's model cannot be deployed, or undefined if it can. */
export function whyNotDeployable(description: TrainingJobDescription): string | undefined {
  if (description.TrainingJobStatus !== 'Completed') {
    return `Training job ${description.TrainingJobName} is ${description.TrainingJobStatus}: only a completed job has a model to deploy.`;
  }
  if (!description.ModelArtifacts?.S3ModelArtifacts) return `Training job ${description.TrainingJobName} has no model artifacts.`;
  return undefined;
}

export async function deployModel(sageMaker: SageMakerClient, plan: DeploymentPlan): Promise<void> {
  await deployEndpoint(sageMaker, {
    endpointName: plan.endpointName,
    model: {
      ModelName: plan.endpointName,
      ExecutionRoleArn: plan.executionRoleArn,
      PrimaryContainer: { Image: plan.image, ModelDataUrl: plan.modelDataUrl },
    },
    instanceType: plan.instanceType,
    instanceCount: plan.instanceCount,
  });
}

/**
 * Creates the model as given (named after the endpoint), an endpoint configuration with one
 * `AllTraffic` variant serving it, and the endpoint.
 */
export async function deployEndpoint(
  sageMaker: SageMakerClient,
  deployment: { endpointName: string; model: CreateModelCommandInput; instanceType: string; instanceCount: number },
): Promise<void> {
  const sdk = await loadSdk();
  const name = deployment.endpointName;
  const undo: (() => Promise<unknown>)[] = [];
  try {
    await about({ kind: 'model', name }, sageMaker.send(new sdk.CreateModelCommand({ ...deployment.model, ModelName: name })));
    undo.push(() => sageMaker.send(new sdk.DeleteModelCommand({ ModelName: name })));
    await about(
      { kind: 'endpointConfig', name },
      sageMaker.send(
        new sdk.CreateEndpointConfigCommand({
          EndpointConfigName: name,
          ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: name, InstanceType: deployment.instanceType as never, InitialInstanceCount: deployment.instanceCount }],
        }),
      ),
    );
    undo.push(() => sageMaker.send(new sdk.DeleteEndpointConfigCommand({ EndpointConfigName: name })));
    await about({ kind: 'endpoint', name }, sageMaker.send(new sdk.CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name })));
  } catch (error) {
    // The failure the user must see is the first one; a failed clean-up only adds leftovers.
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

/**
 * A name for what the archive holds: `output/gpt-7/output/model.tar.gz` (SageMaker's layout) and
 * `models/gpt-7/model.tar.gz` → `gpt-7`; `gpt-7.tar.gz` → `gpt-7`.
 */
export function nameFromKey(key: string): string {
  const parts = key.split('/');
  const file = parts.pop() ?? key;
  if (file !== 'model.tar.gz') return file.replace(/\.tar\.gz$/, '');
  const folders = parts.filter((folder) => folder !== '' && folder !== 'output');
  return folders.pop() ?? 'model';
}

/**
 * What already has the deployment's name, if anything: the endpoint, its configuration and its model
 * are all named after the endpoint, so each must be free before the first is created.
 */
export async function deploymentNameHolder(sageMaker: SageMakerClient, name: string): Promise<ResourceRef | undefined> {
  const sdk = await loadSdk();
  const [endpoint, config, model] = await Promise.all([
    exists(sageMaker.send(new sdk.DescribeEndpointCommand({ EndpointName: name }))),
    exists(sageMaker.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: name }))),
    exists(sageMaker.send(new sdk.DescribeModelCommand({ ModelName: name }))),
  ]);
  if (endpoint) return { kind: 'endpoint', name };
  if (config) return { kind: 'endpointConfig', name };
  return model ? { kind: 'model', name } : undefined;
}
