// The SageMaker training container's folders on this machine: each host gets its own folder that is
// its /opt/ml (inside its mount namespace, hostSandbox.ts), laid out and configured as SageMaker
// does before the container starts: input/config/*.json, input/data/<channel>, model, output,
// checkpoints and code. The environment the script gets is trainingHost.ts's.
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface HostLayout {
  /** `algo-1`, `algo-2`, … as SageMaker names a job's hosts. */
  hostName: string;
  /** Stands for /opt/ml. */
  root: string;
  inputDir: string;
  configDir: string;
  dataDir: string;
  modelDir: string;
  outputDir: string;
  outputDataDir: string;
  outputIntermediateDir: string;
  checkpointDir: string;
  failureFile: string;
  /** /opt/ml/code, where the toolkit extracts sagemaker_submit_directory. */
  codeDir: string;
}

export function hostNames(instanceCount: number): string[] {
  return Array.from({ length: instanceCount }, (_, index) => `algo-${index + 1}`);
}

/** The folder that stands for a host's /opt/ml, for training and processing jobs alike. */
export function hostRoot(jobDir: string, hostName: string): string {
  return path.join(jobDir, hostName, 'opt', 'ml');
}

/** A host's folders on this machine. */
export function hostLayout(jobDir: string, hostName: string, checkpointLocalPath?: string): HostLayout {
  return layoutAt(hostRoot(jobDir, hostName), hostName, checkpointLocalPath);
}

/** The same folders as the host's script sees them in its namespace: /opt/ml/… */
export function containerLayout(hostName: string, checkpointLocalPath?: string): HostLayout {
  return layoutAt('/opt/ml', hostName, checkpointLocalPath);
}

function layoutAt(root: string, hostName: string, checkpointLocalPath: string | undefined): HostLayout {
  const join = root.startsWith('/opt/ml') ? path.posix.join : path.join;
  return {
    hostName,
    root,
    inputDir: join(root, 'input'),
    configDir: join(root, 'input', 'config'),
    dataDir: join(root, 'input', 'data'),
    modelDir: join(root, 'model'),
    outputDir: join(root, 'output'),
    outputDataDir: join(root, 'output', 'data'),
    outputIntermediateDir: join(root, 'output', 'intermediate'),
    // CheckpointConfig.LocalPath is a container path (default /opt/ml/checkpoints): map it under root.
    checkpointDir: join(root, path.posix.relative('/opt/ml', checkpointLocalPath ?? '/opt/ml/checkpoints')),
    failureFile: join(root, 'output', 'failure'),
    codeDir: join(root, 'code'),
  };
}

/** resourceconfig.json as SageMaker writes it for a homogeneous cluster. */
export function resourceConfig(job: CreateTrainingJobCommandInput, hostName: string, hosts: string[]): Record<string, unknown> {
  const instanceType = job.ResourceConfig?.InstanceType;
  return {
    current_host: hostName,
    current_instance_type: instanceType,
    current_group_name: 'homogeneousCluster',
    hosts,
    instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: instanceType, hosts }],
    // The interface the hosts' loopback addresses are on (SageMaker's is eth0).
    network_interface_name: 'lo',
  };
}

/** inputdataconfig.json: each channel's input mode, distribution and record wrapper. */
export function inputDataConfig(job: CreateTrainingJobCommandInput): Record<string, unknown> {
  return Object.fromEntries(
    (job.InputDataConfig ?? []).map((channel) => [
      channel.ChannelName,
      {
        TrainingInputMode: channel.InputMode ?? job.AlgorithmSpecification?.TrainingInputMode ?? 'File',
        S3DistributionType: channel.DataSource?.S3DataSource?.S3DataDistributionType ?? 'FullyReplicated',
        RecordWrapperType: channel.RecordWrapperType ?? 'None',
        ...(channel.ContentType && { ContentType: channel.ContentType }),
      },
    ]),
  );
}

/** Creates the folders and writes input/config/*.json as SageMaker does before the container starts. */
export async function prepareHost(layout: HostLayout, job: CreateTrainingJobCommandInput, hosts: string[]): Promise<void> {
  for (const dir of [layout.configDir, layout.dataDir, layout.modelDir, layout.outputDataDir, layout.checkpointDir, layout.codeDir]) {
    await mkdir(dir, { recursive: true });
  }
  for (const channel of job.InputDataConfig ?? []) {
    await mkdir(path.join(layout.dataDir, channel.ChannelName ?? ''), { recursive: true });
  }
  const files: Record<string, unknown> = {
    'hyperparameters.json': job.HyperParameters ?? {},
    'inputdataconfig.json': inputDataConfig(job),
    'resourceconfig.json': resourceConfig(job, layout.hostName, hosts),
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(layout.configDir, name), `${JSON.stringify(content, null, 2)}\n`);
  }
}
