// Fixture builders for SageMaker hosting, registry, processing and transform requests.
import type {
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  CreateProcessingJobCommandInput,
  CreateTransformJobCommandInput,
  ProductionVariant,
} from '@aws-sdk/client-sagemaker';

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';

export function modelRequest(name: string, overrides: Partial<CreateModelCommandInput> = {}): CreateModelCommandInput {
  return {
    ModelName: name,
    ExecutionRoleArn: ROLE,
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
    RoleArn: ROLE,
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
