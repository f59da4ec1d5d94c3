// Batch transform: a model (or a registered version, made into a model first) run over every object
// under an S3 prefix, each answer written as `<object>.out` under the output prefix. The jobs newest
// first, and the `.out` objects of a job.
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateTransformJobCommandInput, SageMakerClient, SplitType, TransformJobStatus } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about, type ResourceRef } from '../failures/resources';
import { modelFromVersionRequest, nameStamp, suffixedName } from './endpointUpdates';
import { exists } from './names';
import { parseS3Uri, type Page } from './registry';

export interface TransformPlan {
  jobName: string;
  modelName: string;
  /** `s3://bucket/prefix/`: every object under it is one input (or split into records). */
  inputUri: string;
  /** `s3://bucket/prefix/`: where `<input>.out` objects are written. */
  outputUri: string;
  contentType: string;
  splitType: SplitType;
  instanceType: string;
  instanceCount: number;
}

/** The split types SageMaker knows; Line sends one line (a JSON Lines record) per request. */
export const SPLIT_TYPES: readonly SplitType[] = ['Line', 'None', 'RecordIO', 'TFRecord'];

/** Instance types offered first for transform jobs (any other can be typed in). */
export const TRANSFORM_INSTANCE_TYPES = ['ml.m5.xlarge', 'ml.m5.large', 'ml.c5.xlarge', 'ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.g4dn.xlarge'];

/**
 * The CreateTransformJob request. Records split by line are sent one per request and their answers
 * joined by lines again, so `<input>.out` has one answer per input line.
 */
export function transformRequest(plan: TransformPlan): CreateTransformJobCommandInput {
  const byLine = plan.splitType === 'Line';
  return {
    TransformJobName: plan.jobName,
    ModelName: plan.modelName,
    BatchStrategy: byLine ? 'SingleRecord' : undefined,
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: plan.inputUri } },
      ContentType: plan.contentType,
      SplitType: plan.splitType,
    },
    TransformOutput: { S3OutputPath: plan.outputUri, AssembleWith: byLine ? 'Line' : 'None' },
    TransformResources: { InstanceType: plan.instanceType as never, InstanceCount: plan.instanceCount },
  };
}

/** A default output prefix: `<input prefix without its last folder>/<job>-output/` in the same bucket. */
export function defaultOutputUri(inputUri: string, jobName: string): string {
  const { bucket, key } = parseS3Uri(inputUri);
  const parent = key.replace(/\/?$/, '').replace(/[^/]*$/, '');
  return `s3://${bucket}/${parent}${jobName}-output/`;
}

/** What is wrong with a transform spec read from a file, or undefined: the fields CreateTransformJob requires. */
export function transformSpecProblem(spec: Partial<CreateTransformJobCommandInput>): string | undefined {
  for (const field of ['TransformJobName', 'ModelName', 'TransformInput', 'TransformOutput', 'TransformResources'] as const) {
    if (spec[field] === undefined) return `${field} is required.`;
  }
  return undefined;
}

export async function createTransformJob(sageMaker: SageMakerClient, request: CreateTransformJobCommandInput): Promise<string> {
  const { CreateTransformJobCommand } = await loadSdk();
  const { TransformJobArn } = await about({ kind: 'transformJob', name: request.TransformJobName ?? '' }, sageMaker.send(new CreateTransformJobCommand(request)));
  return TransformJobArn!;
}

/**
 * A model serving the version, for a transform job: `<group>-v<N>-<stamp>` (a version's model is made
 * once per job, as models cannot be renamed and a stamp keeps the name free).
 */
export async function modelForVersion(sageMaker: SageMakerClient, versionArn: string, label: string, executionRoleArn: string, at: Date): Promise<string> {
  const { CreateModelCommand } = await loadSdk();
  const modelName = suffixedName(label, nameStamp(at));
  await about({ kind: 'model', name: modelName }, sageMaker.send(new CreateModelCommand(modelFromVersionRequest(modelName, versionArn, executionRoleArn))));
  return modelName;
}

export interface TransformJobSummary {
  name: string;
  arn: string;
  status: TransformJobStatus;
  createdAt?: Date;
  endedAt?: Date;
  failureReason?: string;
}

export async function listTransformJobs(sageMaker: SageMakerClient, options: { nextToken?: string; pageSize?: number } = {}): Promise<Page<TransformJobSummary>> {
  const { ListTransformJobsCommand } = await loadSdk();
  const page = await sageMaker.send(
    new ListTransformJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: options.pageSize ?? 50, NextToken: options.nextToken }),
  );
  return {
    items: (page.TransformJobSummaries ?? []).map((job) => ({
      name: job.TransformJobName!,
      arn: job.TransformJobArn!,
      status: job.TransformJobStatus!,
      createdAt: job.CreationTime,
      endedAt: job.TransformEndTime,
      failureReason: job.FailureReason,
    })),
    nextToken: page.NextToken,
  };
}

export function isTransformActive(status: TransformJobStatus): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

/** Where the job writes, from DescribeTransformJob. */
export async function transformOutputUri(sageMaker: SageMakerClient, jobName: string): Promise<string | undefined> {
  const { DescribeTransformJobCommand } = await loadSdk();
  const job = await about({ kind: 'transformJob', name: jobName }, sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: jobName })));
  return job.TransformOutput?.S3OutputPath;
}

export interface OutputObject {
  bucket: string;
  key: string;
  size: number;
}

/** The `.out` objects under the output prefix (the answers, one per input object). */
export async function listOutputObjects(s3: S3Client, outputUri: string, continuationToken?: string): Promise<Page<OutputObject>> {
  const { ListObjectsV2Command } = await loadSdk();
  const { bucket, key } = parseS3Uri(outputUri);
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: continuationToken }));
  return {
    items: (page.Contents ?? []).filter((object) => object.Key?.endsWith('.out')).map((object) => ({ bucket, key: object.Key!, size: object.Size ?? 0 })),
    nextToken: page.IsTruncated ? page.NextContinuationToken : undefined,
  };
}

/** What already has the transform job's name, if anything (job names are never reused). */
export async function transformJobNameHolder(sageMaker: SageMakerClient, name: string): Promise<ResourceRef | undefined> {
  const { DescribeTransformJobCommand } = await loadSdk();
  return (await exists(sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: name })))) ? { kind: 'transformJob', name } : undefined;
}
