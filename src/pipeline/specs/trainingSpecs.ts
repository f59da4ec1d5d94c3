// Training job specs made for the user: a new one from the choices of *New Training Job Spec*, and
// one cloned from a job's DescribeTrainingJob (only the members the request has), and their text.
// Pure, unit-tested.
import type { CreateTrainingJobCommandInput, MetricDefinition, Tag } from '@aws-sdk/client-sagemaker';
import { yamlLibrary } from '../libraries';
import { BUILTIN_GPT_IMAGE } from '../deploy';
import type { TrainingJobDescription } from '../trainingJobs';
import type { SpecFormat } from './specDocument';

/**
 * The built-in GPT's log lines are `step=120 loss=2.3127 val_loss=2.4410 lr=… grad_norm=… tokens_per_sec=…`;
 * these definitions turn them into the job's metrics (CloudWatch, FinalMetricDataList), as a user's
 * own script's lines would be.
 */
export const BUILTIN_GPT_METRICS: MetricDefinition[] = [
  { Name: 'train:loss', Regex: 'step=\\d+ loss=([0-9.]+)' },
  { Name: 'validation:loss', Regex: 'val_loss=([0-9.]+)' },
  { Name: 'train:learning_rate', Regex: 'lr=([0-9.e+-]+)' },
  { Name: 'train:grad_norm', Regex: 'grad_norm=([0-9.]+)' },
  { Name: 'train:tokens_per_sec', Regex: 'tokens_per_sec=([0-9]+)' },
];

/** A tiny model that trains in seconds here; every member is a hyperparameter the built-in GPT reads. */
export const BUILTIN_GPT_HYPERPARAMETERS: Record<string, string> = {
  layers: '2',
  heads: '2',
  width: '64',
  context: '64',
  steps: '300',
  checkpoint_interval: '50',
};

export interface NewTrainingSpec {
  name: string;
  image: string;
  roleArn: string;
  instanceType: string;
  instanceCount: number;
  spot: boolean;
  /** s3:// URIs of the channels; `validation` is optional. */
  train: string;
  validation?: string;
  outputPath: string;
  checkpointUri?: string;
  hyperParameters: Record<string, string>;
  maxRuntimeSeconds: number;
}

/** The default checkpoint location of a job: `s3://<bucket>/checkpoints/<job>/`. */
export function defaultCheckpointUri(bucket: string, jobName: string): string {
  return `s3://${bucket}/checkpoints/${jobName}/`;
}

export function newTrainingSpec(choices: NewTrainingSpec): CreateTrainingJobCommandInput {
  const channel = (name: string, uri: string) => ({
    ChannelName: name,
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: uri, S3DataDistributionType: 'FullyReplicated' as const } },
  });
  const builtin = choices.image.split(':')[0] === BUILTIN_GPT_IMAGE.split(':')[0];
  return {
    TrainingJobName: choices.name,
    AlgorithmSpecification: {
      TrainingImage: choices.image,
      TrainingInputMode: 'File',
      ...(builtin ? { MetricDefinitions: BUILTIN_GPT_METRICS } : {}),
    },
    RoleArn: choices.roleArn,
    HyperParameters: choices.hyperParameters,
    InputDataConfig: [channel('train', choices.train), ...(choices.validation ? [channel('validation', choices.validation)] : [])],
    OutputDataConfig: { S3OutputPath: choices.outputPath },
    ...(choices.checkpointUri ? { CheckpointConfig: { S3Uri: choices.checkpointUri } } : {}),
    ResourceConfig: { InstanceType: choices.instanceType as never, InstanceCount: choices.instanceCount, VolumeSizeInGB: 30 },
    ...(choices.spot ? { EnableManagedSpotTraining: true } : {}),
    StoppingCondition: {
      MaxRuntimeInSeconds: choices.maxRuntimeSeconds,
      // Waiting for spot capacity counts too: as long again as the run itself.
      ...(choices.spot ? { MaxWaitTimeInSeconds: choices.maxRuntimeSeconds * 2 } : {}),
    },
  };
}

/**
 * Every member of the CreateTrainingJob request. The type makes the list whole: a member the SDK's
 * request gains or loses fails the build until it is listed here.
 */
const REQUEST_MEMBERS: Record<keyof CreateTrainingJobCommandInput, true> = {
  TrainingJobName: true,
  HyperParameters: true,
  AlgorithmSpecification: true,
  RoleArn: true,
  InputDataConfig: true,
  OutputDataConfig: true,
  ResourceConfig: true,
  VpcConfig: true,
  StoppingCondition: true,
  Tags: true,
  EnableNetworkIsolation: true,
  EnableInterContainerTrafficEncryption: true,
  EnableManagedSpotTraining: true,
  CheckpointConfig: true,
  DebugHookConfig: true,
  DebugRuleConfigurations: true,
  TensorBoardOutputConfig: true,
  ExperimentConfig: true,
  ProfilerConfig: true,
  ProfilerRuleConfigurations: true,
  Environment: true,
  RetryStrategy: true,
  RemoteDebugConfig: true,
  InfraCheckConfig: true,
  SessionChainingConfig: true,
  ServerlessJobConfig: true,
  MlflowConfig: true,
  ModelPackageConfig: true,
};

/** A job's description as the request that would create it again (as `name`): the request's members, none of the job's state. */
export function cloneTrainingSpec(description: TrainingJobDescription, name: string, tags: Tag[] = []): CreateTrainingJobCommandInput {
  const request: Record<string, unknown> = {};
  for (const member of Object.keys(REQUEST_MEMBERS) as (keyof CreateTrainingJobCommandInput)[]) {
    const value = member === 'Tags' ? (tags.length ? tags : undefined) : (description as Record<string, unknown>)[member];
    if (value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0)) request[member] = value;
  }
  request.TrainingJobName = name;
  return request as unknown as CreateTrainingJobCommandInput;
}

/** `a=1, b=two` → { a: '1', b: 'two' }; undefined if a pair has no `=` (values stay strings, as SageMaker takes them). */
export function parseHyperParameters(text: string): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const pair of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    result[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return result;
}

/** { a: '1', b: 'two' } → `a=1, b=two`, for an input box to edit. */
export function formatHyperParameters(hyperParameters: Record<string, string> | undefined): string {
  return Object.entries(hyperParameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** A request as the text of a spec file, members in the API's order. */
export function specText(request: object, format: SpecFormat): string {
  return format === 'json' ? `${JSON.stringify(request, null, 2)}\n` : yamlLibrary().stringify(request, { lineWidth: 0 });
}
