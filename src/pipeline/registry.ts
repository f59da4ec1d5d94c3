// The model registry (SageMaker Model Registry): model package groups, their versions newest first,
// registering a completed training job as a new version, and approving or rejecting one. A version
// records its training job in MetadataProperties.GeneratedBy and the job's final metrics as a model
// quality statistics report in S3 (ModelMetrics), as SageMaker Pipelines' RegisterModel step does.
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  CreateModelPackageCommandInput,
  DescribeModelPackageCommandOutput,
  ModelApprovalStatus,
  ModelPackageStatus,
  SageMakerClient,
  UpdateModelPackageCommandInput,
} from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about } from '../failures/resources';
import { exists } from './names';
import type { TrainingJobDescription } from './trainingJobs';

export interface ModelGroupSummary {
  name: string;
  arn: string;
  description?: string;
  createdAt?: Date;
}

export interface ModelVersionSummary {
  arn: string;
  group: string;
  version: number;
  status: ModelPackageStatus;
  approval: ModelApprovalStatus;
  createdAt?: Date;
  description?: string;
}

export interface Page<Item> {
  items: Item[];
  nextToken?: string;
}

export async function listModelGroups(sageMaker: SageMakerClient, options: { nextToken?: string; pageSize?: number } = {}): Promise<Page<ModelGroupSummary>> {
  const { ListModelPackageGroupsCommand } = await loadSdk();
  const page = await sageMaker.send(
    new ListModelPackageGroupsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: options.pageSize ?? 50, NextToken: options.nextToken }),
  );
  return {
    items: (page.ModelPackageGroupSummaryList ?? []).map((group) => ({
      name: group.ModelPackageGroupName!,
      arn: group.ModelPackageGroupArn!,
      description: group.ModelPackageGroupDescription,
      createdAt: group.CreationTime,
    })),
    nextToken: page.NextToken,
  };
}

/** A group's versions, newest first. */
export async function listModelVersions(
  sageMaker: SageMakerClient,
  group: string,
  options: { nextToken?: string; pageSize?: number; approval?: ModelApprovalStatus } = {},
): Promise<Page<ModelVersionSummary>> {
  const { ListModelPackagesCommand } = await loadSdk();
  const page = await about(
    { kind: 'modelPackageGroup', name: group },
    sageMaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ModelPackageType: 'Versioned',
        ModelApprovalStatus: options.approval,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: options.pageSize ?? 20,
        NextToken: options.nextToken,
      }),
    ),
  );
  return {
    items: (page.ModelPackageSummaryList ?? []).map((summary) => ({
      arn: summary.ModelPackageArn!,
      group: summary.ModelPackageGroupName ?? group,
      version: summary.ModelPackageVersion ?? versionOfArn(summary.ModelPackageArn!) ?? 0,
      status: summary.ModelPackageStatus!,
      approval: summary.ModelApprovalStatus ?? 'PendingManualApproval',
      createdAt: summary.CreationTime,
      description: summary.ModelPackageDescription,
    })),
    nextToken: page.NextToken,
  };
}

export type ModelVersionDescription = Omit<DescribeModelPackageCommandOutput, '$metadata'>;

export async function describeModelVersion(sageMaker: SageMakerClient, arn: string): Promise<ModelVersionDescription> {
  const { DescribeModelPackageCommand } = await loadSdk();
  const { $metadata: _metadata, ...description } = await about(
    { kind: 'modelPackage', name: arn },
    sageMaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn })),
  );
  return description;
}

/** `arn:aws:sagemaker:us-east-1:123:model-package/chat-gpt/3` → group `chat-gpt`, version 3. */
export function parseModelPackageArn(arn: string): { group: string; version?: number } | undefined {
  const match = /:model-package\/([^/]+)(?:\/(\d+))?$/.exec(arn);
  if (!match) return undefined;
  return { group: match[1], version: match[2] === undefined ? undefined : Number(match[2]) };
}

function versionOfArn(arn: string): number | undefined {
  return parseModelPackageArn(arn)?.version;
}

/** "chat-gpt v3": how a version is named in the views and messages. */
export function versionLabel(version: { group: string; version: number }): string {
  return `${version.group} v${version.version}`;
}

/** The training job a version was registered from, if it says (GeneratedBy names its ARN). */
export function sourceTrainingJob(description: ModelVersionDescription): string | undefined {
  const generatedBy = description.MetadataProperties?.GeneratedBy;
  return generatedBy ? /:training-job\/(.+)$/.exec(generatedBy)?.[1] : undefined;
}

/** Why the job cannot be registered, or undefined if it can. */
export function whyNotRegistrable(job: TrainingJobDescription): string | undefined {
  if (job.TrainingJobStatus !== 'Completed') {
    return `Training job ${job.TrainingJobName} is ${job.TrainingJobStatus}: only a completed job has a model to register.`;
  }
  if (!job.ModelArtifacts?.S3ModelArtifacts) return `Training job ${job.TrainingJobName} has no model artifacts.`;
  return undefined;
}

/** What the user chooses when registering a job's model. */
export interface Registration {
  group: string;
  /** The inference container image (the job's own image by default). */
  image: string;
  contentTypes: string[];
  responseTypes: string[];
  approval: ModelApprovalStatus;
  description?: string;
}

/** Content types an LLM container takes and answers with, offered first. */
export const CONTENT_TYPES = ['application/json', 'application/jsonlines', 'text/plain', 'text/csv'];

/** Where a job's final metrics are written as a model quality report: beside its model.tar.gz. */
export function metricsReportUri(job: TrainingJobDescription): string | undefined {
  const model = job.ModelArtifacts?.S3ModelArtifacts;
  return model ? model.replace(/[^/]*$/, 'model-metrics.json') : undefined;
}

/**
 * The job's final metrics (FinalMetricDataList) as a JSON report, in the shape of SageMaker's model
 * quality statistics (`{"<kind>_metrics": {"<name>": {"value": …}}}`), or undefined if it has none.
 */
export function metricsReport(job: TrainingJobDescription): string | undefined {
  const metrics = (job.FinalMetricDataList ?? []).filter((metric) => metric.MetricName !== undefined && metric.Value !== undefined);
  if (metrics.length === 0) return undefined;
  return JSON.stringify(
    {
      version: 0.0,
      training_job: job.TrainingJobName,
      training_metrics: Object.fromEntries(metrics.map((metric) => [metric.MetricName!, { value: metric.Value!, timestamp: metric.Timestamp?.toISOString() }])),
    },
    null,
    2,
  );
}

export interface ModelMetric {
  name: string;
  value: number;
}

/** The metrics of a model quality report: every `*_metrics` object's `{name: {value}}` entries (ours, and Model Monitor's). */
export function parseMetricsReport(text: string): ModelMetric[] {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof report !== 'object' || report === null) return [];
  const metrics: ModelMetric[] = [];
  for (const [kind, entries] of Object.entries(report)) {
    if (!kind.endsWith('_metrics') || typeof entries !== 'object' || entries === null) continue;
    for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
      const value = (entry as { value?: unknown } | null)?.value;
      if (typeof value === 'number') metrics.push({ name, value });
    }
  }
  return metrics;
}

/** The CreateModelPackage request that makes the job's model the group's next version. */
export function registerRequest(job: TrainingJobDescription, registration: Registration, metricsUri?: string): CreateModelPackageCommandInput {
  return {
    ModelPackageGroupName: registration.group,
    ModelPackageDescription: registration.description || `Trained by ${job.TrainingJobName}`,
    ModelApprovalStatus: registration.approval,
    InferenceSpecification: {
      Containers: [{ Image: registration.image, ModelDataUrl: job.ModelArtifacts?.S3ModelArtifacts }],
      SupportedContentTypes: registration.contentTypes,
      SupportedResponseMIMETypes: registration.responseTypes,
    },
    MetadataProperties: { GeneratedBy: job.TrainingJobArn },
    ModelMetrics: metricsUri ? { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: metricsUri } } } : undefined,
  };
}

/** The UpdateModelPackage request that approves or rejects a version, with why. */
export function approvalRequest(arn: string, approval: ModelApprovalStatus, description?: string): UpdateModelPackageCommandInput {
  return { ModelPackageArn: arn, ModelApprovalStatus: approval, ApprovalDescription: description || undefined };
}

/** SageMaker answers a missing group with a ValidationException that says it does not exist. */
export async function modelGroupExists(sageMaker: SageMakerClient, group: string): Promise<boolean> {
  const { DescribeModelPackageGroupCommand } = await loadSdk();
  return exists(sageMaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group })));
}

/**
 * Registers the job's model as the group's next version (creating the group first if it is new),
 * with its final metrics written to S3 as the version's model quality report.
 */
export async function registerModelVersion(
  clients: { sageMaker: SageMakerClient; s3: S3Client },
  job: TrainingJobDescription,
  registration: Registration,
): Promise<ModelVersionSummary> {
  const sdk = await loadSdk();
  if (!(await modelGroupExists(clients.sageMaker, registration.group))) {
    await about(
      { kind: 'modelPackageGroup', name: registration.group },
      clients.sageMaker.send(
        new sdk.CreateModelPackageGroupCommand({ ModelPackageGroupName: registration.group, ModelPackageGroupDescription: `Models trained like ${job.TrainingJobName}` }),
      ),
    );
  }
  const report = metricsReport(job);
  const reportUri = report === undefined ? undefined : metricsReportUri(job);
  if (report !== undefined && reportUri) {
    const { bucket, key } = parseS3Uri(reportUri);
    await about({ kind: 'object', name: reportUri }, clients.s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: report, ContentType: 'application/json' })));
  }
  const { ModelPackageArn: arn } = await about(
    { kind: 'modelPackageGroup', name: registration.group },
    clients.sageMaker.send(new sdk.CreateModelPackageCommand(registerRequest(job, registration, reportUri))),
  );
  return {
    arn: arn!,
    group: registration.group,
    version: versionOfArn(arn!) ?? 0,
    status: 'Completed',
    approval: registration.approval,
    description: registration.description,
  };
}

export async function setApproval(sageMaker: SageMakerClient, arn: string, approval: ModelApprovalStatus, description?: string): Promise<void> {
  const { UpdateModelPackageCommand } = await loadSdk();
  await about({ kind: 'modelPackage', name: arn }, sageMaker.send(new UpdateModelPackageCommand(approvalRequest(arn, approval, description))));
}

/** The metrics of a version's model quality report, read from S3; none when it has no report. */
export async function readModelMetrics(s3: S3Client, description: ModelVersionDescription): Promise<ModelMetric[]> {
  const uri = description.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!uri) return [];
  const { GetObjectCommand } = await loadSdk();
  const { bucket, key } = parseS3Uri(uri);
  const object = await about({ kind: 'object', name: uri }, s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  return parseMetricsReport((await object.Body?.transformToString()) ?? '');
}

/** `s3://bucket/a/b` → bucket and key. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`Not an S3 URI: ${uri}`);
  return { bucket: match[1], key: match[2] };
}
