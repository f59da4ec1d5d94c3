// The SageMaker Processing container contract on this machine. Each instance gets a folder that is
// the container's /opt/ml in its namespace (hostSandbox.ts), as training hosts do (trainingLayout.ts),
// with config/processingjobconfig.json and config/resourceconfig.json as SageMaker writes them. The
// inputs' and outputs' LocalPath are found in that folder. Where namespaces are not available, every
// /opt/ml path the job names is rewritten to the instance's folder: /opt/ml paths in
// ContainerEntrypoint, ContainerArguments and Environment values (whole values, or after `=` as in
// `--input=/opt/ml/…`); a script that builds /opt/ml paths itself finds the folder in SM_EMULATOR_OPT_ML.
import type { CreateProcessingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { JobClientError } from '../hosts/hostGroup';
import { CONTAINER_ROOT } from '../hosts/hostSandbox';
import { hostRoot } from './trainingLayout';

export type ProcessingRequest = Omit<CreateProcessingJobCommandInput, 'Tags'>;

export interface ProcessingLayout {
  /** `algo-1`, `algo-2`, … as SageMaker names a job's instances. */
  hostName: string;
  /** Stands for /opt/ml. */
  root: string;
  configDir: string;
  /** /opt/ml/output/message: the ExitMessage, and the FailureReason of a failed instance. */
  messageFile: string;
}

/** SageMaker requires every input's and output's LocalPath under this folder. */
const DATA_ROOT = '/opt/ml/processing/';

export function processingLayout(jobDir: string, hostName: string): ProcessingLayout {
  const root = hostRoot(jobDir, hostName);
  return { hostName, root, configDir: path.join(root, 'config'), messageFile: path.join(root, 'output', 'message') };
}

/** A value with its /opt/ml paths rewritten to the instance's folder. */
export function mapContainerPaths(layout: ProcessingLayout, value: string): string {
  return value.replace(/(^|=)\/opt\/ml(?=\/|$)/g, (_match, lead: string) => `${lead}${layout.root}`);
}

/** Where an input's or output's LocalPath is on this machine; it must lie under /opt/ml/processing/. */
export function dataPath(layout: ProcessingLayout, localPath: string | undefined, owner: string): string {
  const normalized = path.posix.normalize(localPath ?? '');
  if (!normalized.startsWith(DATA_ROOT)) {
    throw new JobClientError(`The LocalPath of ${owner} must begin with ${DATA_ROOT}; it is ${JSON.stringify(localPath ?? '')}.`);
  }
  return path.join(layout.root, path.posix.relative(CONTAINER_ROOT, normalized));
}

/** Creates the folders the job names and writes config/*.json as SageMaker does before the container starts. */
export async function prepareProcessingHost(layout: ProcessingLayout, job: ProcessingRequest, arn: string, hosts: string[]): Promise<void> {
  await mkdir(layout.configDir, { recursive: true });
  await mkdir(path.dirname(layout.messageFile), { recursive: true });
  for (const input of job.ProcessingInputs ?? []) {
    const localPath = input.S3Input?.LocalPath ?? input.DatasetDefinition?.LocalPath;
    if (!input.AppManaged) await mkdir(dataPath(layout, localPath, `input ${input.InputName}`), { recursive: true });
  }
  for (const output of job.ProcessingOutputConfig?.Outputs ?? []) {
    if (!output.AppManaged && output.S3Output) await mkdir(dataPath(layout, output.S3Output.LocalPath, `output ${output.OutputName}`), { recursive: true });
  }
  const files: Record<string, unknown> = {
    // The request as the container sees it: paths as the job named them, in the container.
    'processingjobconfig.json': {
      ProcessingJobArn: arn,
      ProcessingJobName: job.ProcessingJobName,
      AppSpecification: job.AppSpecification,
      Environment: job.Environment ?? {},
      NetworkConfig: job.NetworkConfig,
      ProcessingInputs: job.ProcessingInputs ?? [],
      ProcessingOutputConfig: job.ProcessingOutputConfig,
      ProcessingResources: job.ProcessingResources,
      RoleArn: job.RoleArn,
      StoppingCondition: job.StoppingCondition,
    },
    'resourceconfig.json': { current_host: layout.hostName, hosts },
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(layout.configDir, name), `${JSON.stringify(content, null, 2)}\n`);
  }
}

/**
 * The container's environment: the job's Environment as SageMaker gives it — as it is in the
 * instance's namespace, its /opt/ml paths mapped to the instance's folder without one.
 */
export function processingEnvironment(job: ProcessingRequest, layout: ProcessingLayout, region: string, sandboxed: boolean): Record<string, string> {
  const environment = Object.entries(job.Environment ?? {}).map(([name, value]) => [name, sandboxed ? value : mapContainerPaths(layout, value)]);
  return {
    AWS_REGION: region,
    PYTHONUNBUFFERED: '1',
    ...Object.fromEntries(environment),
    SM_EMULATOR_OPT_ML: sandboxed ? CONTAINER_ROOT : layout.root,
  };
}
