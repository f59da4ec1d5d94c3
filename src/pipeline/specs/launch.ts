// Launching a spec: its content, less `$schema`, is the Create*Job request, sent as it is. And the
// checks *Validate* runs that need the service: channels that hold no data, buckets that do not
// exist, a name that is taken. No `vscode`.
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateProcessingJobCommandInput, CreateTrainingJobCommandInput, CreateTransformJobCommandInput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../../aws/clients';
import type { ResourceRef } from '../../failures/resources';
import { parseS3Uri } from '../datasets';
import { exists } from '../names';
import { trainingJobNameHolder } from '../trainingJobs';
import type { SpecPath } from './specDocument';
import { SPEC_KINDS, type SpecKind } from './specKinds';
import type { SpecProblem } from './specRules';

type Json = Record<string, unknown>;

/** The request a spec's value is: the value itself, without the `$schema` an editor may have added. */
export function requestOf(value: unknown): Json {
  const { $schema: _schema, ...request } = value as Json;
  return request;
}

export function jobNameOf(kind: SpecKind, request: Json): string | undefined {
  const name = request[SPEC_KINDS[kind].nameMember];
  return typeof name === 'string' ? name : undefined;
}

/** Sends the request as Create<Kind>Job with `name`; returns the new job's ARN. */
export async function createJob(sageMaker: SageMakerClient, kind: SpecKind, request: Json, name: string): Promise<string | undefined> {
  const { CreateProcessingJobCommand, CreateTrainingJobCommand, CreateTransformJobCommand } = await loadSdk();
  const input = { ...request, [SPEC_KINDS[kind].nameMember]: name };
  if (kind === 'training') {
    return (await sageMaker.send(new CreateTrainingJobCommand(input as unknown as CreateTrainingJobCommandInput))).TrainingJobArn;
  }
  if (kind === 'transform') {
    return (await sageMaker.send(new CreateTransformJobCommand(input as unknown as CreateTransformJobCommandInput))).TransformJobArn;
  }
  return (await sageMaker.send(new CreateProcessingJobCommand(input as unknown as CreateProcessingJobCommandInput))).ProcessingJobArn;
}

/** Whether a Create*Job failed because the name is taken (SageMaker: ResourceInUse). */
export function isNameTaken(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'ResourceInUse' || (name === 'ValidationException' && /already exists|must be unique/i.test(message ?? ''));
}

/** The job of this kind called `name`, if there is one (names are used once per account and region). */
export async function jobNameHolder(sageMaker: SageMakerClient, kind: SpecKind, name: string): Promise<ResourceRef | undefined> {
  if (kind === 'training') return trainingJobNameHolder(sageMaker, name);
  const { DescribeProcessingJobCommand, DescribeTransformJobCommand } = await loadSdk();
  if (kind === 'transform') return (await exists(sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: name })))) ? { kind: 'transformJob', name } : undefined;
  return (await exists(sageMaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: name })))) ? { kind: 'processingJob', name } : undefined;
}

/** Whether a job of this kind called `name` exists. */
export async function jobExists(sageMaker: SageMakerClient, kind: SpecKind, name: string): Promise<boolean> {
  return (await jobNameHolder(sageMaker, kind, name)) !== undefined;
}

/** The S3 locations a spec reads (inputs that must hold data) and writes (outputs whose bucket must exist). */
function s3Locations(kind: SpecKind, spec: Json): { path: SpecPath; uri: string; reads: boolean }[] {
  const at = (value: unknown, ...members: (string | number)[]): unknown =>
    members.reduce<unknown>((current, member) => (current && typeof current === 'object' ? (current as Json)[member as string] : undefined), value);
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  const locations: { path: SpecPath; uri: string; reads: boolean }[] = [];
  const add = (path: SpecPath, reads: boolean) => {
    const uri = at(spec, ...path);
    if (typeof uri === 'string' && uri.startsWith('s3://')) locations.push({ path, uri, reads });
  };
  if (kind === 'training') {
    list(spec.InputDataConfig).forEach((_, index) => add(['InputDataConfig', index, 'DataSource', 'S3DataSource', 'S3Uri'], true));
    add(['OutputDataConfig', 'S3OutputPath'], false);
    add(['CheckpointConfig', 'S3Uri'], false);
  } else if (kind === 'transform') {
    add(['TransformInput', 'DataSource', 'S3DataSource', 'S3Uri'], true);
    add(['TransformOutput', 'S3OutputPath'], false);
  } else {
    list(spec.ProcessingInputs).forEach((_, index) => add(['ProcessingInputs', index, 'S3Input', 'S3Uri'], true));
    list(at(spec, 'ProcessingOutputConfig', 'Outputs')).forEach((_, index) => add(['ProcessingOutputConfig', 'Outputs', index, 'S3Output', 'S3Uri'], false));
  }
  return locations;
}

/**
 * What the service says about the spec before it is launched: an input with no objects under it
 * (SageMaker would fail the job at download), a bucket that does not exist, a transform's model that
 * does not exist, a name that is taken.
 */
export async function serviceProblems(clients: { s3: S3Client; sageMaker: SageMakerClient }, kind: SpecKind, spec: Json): Promise<SpecProblem[]> {
  const { HeadBucketCommand, ListObjectsV2Command } = await loadSdk();
  const problems: SpecProblem[] = [];
  const bucketExists = new Map<string, Promise<boolean>>();
  const bucketFound = (bucket: string) => {
    let known = bucketExists.get(bucket);
    if (!known) {
      known = clients.s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => true,
        (error: { $metadata?: { httpStatusCode?: number } }) => {
          if (error.$metadata?.httpStatusCode === 404) return false;
          throw error;
        },
      );
      bucketExists.set(bucket, known);
    }
    return known;
  };
  for (const { path, uri, reads } of s3Locations(kind, spec)) {
    const location = parseS3Uri(uri);
    if (!location) continue;
    if (!(await bucketFound(location.bucket))) {
      problems.push({ path, severity: 'error', message: `The bucket ${location.bucket} does not exist (or is not yours) in this account.` });
      continue;
    }
    if (reads) {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.key, MaxKeys: 1 }));
      if (!page.KeyCount) problems.push({ path, severity: 'error', message: `No objects under ${uri}: the job would have no data here.` });
    }
  }
  if (kind === 'transform' && typeof spec.ModelName === 'string' && spec.ModelName) {
    const { DescribeModelCommand } = await loadSdk();
    if (!(await exists(clients.sageMaker.send(new DescribeModelCommand({ ModelName: spec.ModelName }))))) {
      problems.push({
        path: ['ModelName'],
        severity: 'error',
        message: `There is no model named ${spec.ModelName} in this region: SageMaker runs a transform with an existing model (Run Batch Transform on a model version in the Models view creates one).`,
      });
    }
  }
  const name = jobNameOf(kind, spec);
  if (name && (await jobExists(clients.sageMaker, kind, name))) {
    problems.push({
      path: [SPEC_KINDS[kind].nameMember],
      severity: 'warning',
      message: `A ${SPEC_KINDS[kind].noun} named ${name} already exists (names are used once per account and region): Launch will propose a free name.`,
    });
  }
  return problems;
}
