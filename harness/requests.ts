// One builder per request kind that tests, benchmarks and the demo send (CreateTrainingJob,
// CreateModel, CreateEndpointConfig, CreateProcessingJob, CreateTransformJob), so a request's
// shape is written once: callers override only what their scenario is about.
import type {
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  CreateProcessingJobCommandInput,
  CreateTrainingJobCommandInput,
  CreateTransformJobCommandInput,
  MetricDefinition,
  ProductionVariant,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';

/** The role the API tests name (the emulator checks its shape, not IAM). */
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/SageMakerRole';
/** The role the demo and the shared trained model use: the one the UI tests pick from the list. */
export const EXECUTION_ROLE_ARN = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
/** The emulator's built-in GPT image: trains (CreateTrainingJob) and serves (CreateModel) for real. */
export const BUILTIN_GPT_IMAGE = 'sagemaker-emulator/builtin-gpt:latest';
/** The curves the extension plots from the built-in GPT's log lines (`step=N loss=X`, `val_loss=X`). */
export const GPT_METRIC_DEFINITIONS: MetricDefinition[] = [
  { Name: 'train:loss', Regex: 'step=\\d+ loss=([0-9.]+)' },
  { Name: 'validation:loss', Regex: 'val_loss=([0-9.]+)' },
];

/** A minimal valid CreateTrainingJob request (an image no runtime runs: for the API and its state). */
export function trainingJobRequest(name: string, overrides: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: ROLE_ARN,
    AlgorithmSpecification: { TrainingImage: 'builtin/gpt:latest', TrainingInputMode: 'File' },
    OutputDataConfig: { S3OutputPath: 's3://training/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ...overrides,
  };
}

export interface GptTrainingJob {
  /** Where the model goes (OutputDataConfig.S3OutputPath). */
  output: string;
  /** The S3 prefix of the `train` channel; none: the GPT trains on its own corpus. */
  train?: string;
  /** Where checkpoints are kept (CheckpointConfig.S3Uri). */
  checkpoints?: string;
  hyperParameters?: Record<string, string>;
  /** Publish the loss curves (GPT_METRIC_DEFINITIONS). */
  metrics?: boolean;
  role?: string;
  instanceType?: TrainingInstanceType;
  instanceCount?: number;
  maxRuntimeSeconds?: number;
}

/** A CreateTrainingJob request of the built-in GPT, as a user launches it: a job that really runs. */
export function gptTrainingJobRequest(name: string, job: GptTrainingJob): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: BUILTIN_GPT_IMAGE,
      TrainingInputMode: 'File',
      ...(job.metrics ? { MetricDefinitions: GPT_METRIC_DEFINITIONS } : {}),
    },
    RoleArn: job.role ?? ROLE_ARN,
    ...(job.hyperParameters ? { HyperParameters: job.hyperParameters } : {}),
    ...(job.train ? { InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: job.train } } }] } : {}),
    OutputDataConfig: { S3OutputPath: job.output },
    ...(job.checkpoints ? { CheckpointConfig: { S3Uri: job.checkpoints } } : {}),
    ResourceConfig: { InstanceType: job.instanceType ?? 'ml.m5.large', InstanceCount: job.instanceCount ?? 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: job.maxRuntimeSeconds ?? 3600 },
  };
}

export function modelRequest(name: string, overrides: Partial<CreateModelCommandInput> = {}): CreateModelCommandInput {
  return {
    ModelName: name,
    ExecutionRoleArn: ROLE_ARN,
    PrimaryContainer: { Image: 'builtin/gpt-server:latest', ModelDataUrl: 's3://models/gpt/model.tar.gz', Environment: { MAX_TOKENS: '64' } },
    ...overrides,
  };
}

export function variant(name: string, modelName: string, overrides: Partial<ProductionVariant> = {}): ProductionVariant {
  return { VariantName: name, ModelName: modelName, InstanceType: 'ml.m5.large', InitialInstanceCount: 1, ...overrides };
}

export function endpointConfigRequest(name: string, variants: ProductionVariant[], overrides: Partial<CreateEndpointConfigCommandInput> = {}): CreateEndpointConfigCommandInput {
  return { EndpointConfigName: name, ProductionVariants: variants, ...overrides };
}

export function processingJobRequest(name: string, overrides: Partial<CreateProcessingJobCommandInput> = {}): CreateProcessingJobCommandInput {
  return {
    ProcessingJobName: name,
    RoleArn: ROLE_ARN,
    AppSpecification: { ImageUri: 'builtin/preprocess:latest', ContainerEntrypoint: ['python3', 'preprocess.py'] },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 } },
    ProcessingInputs: [{ InputName: 'raw', S3Input: { S3Uri: 's3://data/raw', LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
    ...overrides,
  };
}

export function transformJobRequest(name: string, modelName: string, overrides: Partial<CreateTransformJobCommandInput> = {}): CreateTransformJobCommandInput {
  return {
    TransformJobName: name,
    ModelName: modelName,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/prompts' } }, SplitType: 'Line' },
    TransformOutput: { S3OutputPath: 's3://data/answers' },
    TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    ...overrides,
  };
}
