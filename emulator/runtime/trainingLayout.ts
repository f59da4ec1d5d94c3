// The SageMaker training container contract on this machine: each host gets its own folder that
// stands for the container's /opt/ml, laid out and configured as SageMaker does, plus the
// environment sagemaker-training-toolkit sets. Paths inside the contract are absolute host paths,
// so a script that reads SM_* variables (as SageMaker's docs ask) runs unchanged; one that hard-codes
// /opt/ml finds its folder under `<job>/algo-N/opt/ml`.
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export interface HostLayout {
  /** `algo-1`, `algo-2`, … as SageMaker names a job's hosts. */
  hostName: string;
  /** Stands for /opt/ml. */
  root: string;
  configDir: string;
  dataDir: string;
  modelDir: string;
  outputDir: string;
  outputDataDir: string;
  checkpointDir: string;
  failureFile: string;
}

export function hostNames(instanceCount: number): string[] {
  return Array.from({ length: instanceCount }, (_, index) => `algo-${index + 1}`);
}

/** The folder that stands for a host's /opt/ml, for training and processing jobs alike. */
export function hostRoot(jobDir: string, hostName: string): string {
  return path.join(jobDir, hostName, 'opt', 'ml');
}

export function hostLayout(jobDir: string, hostName: string, checkpointLocalPath?: string): HostLayout {
  const root = hostRoot(jobDir, hostName);
  return {
    hostName,
    root,
    configDir: path.join(root, 'input', 'config'),
    dataDir: path.join(root, 'input', 'data'),
    modelDir: path.join(root, 'model'),
    outputDir: path.join(root, 'output'),
    outputDataDir: path.join(root, 'output', 'data'),
    // CheckpointConfig.LocalPath is a container path (default /opt/ml/checkpoints): map it under root.
    checkpointDir: path.join(root, path.relative('/opt/ml', checkpointLocalPath ?? '/opt/ml/checkpoints')),
    failureFile: path.join(root, 'output', 'failure'),
  };
}

/** Creates the folders and writes input/config/*.json as SageMaker does before the container starts. */
export async function prepareHost(layout: HostLayout, job: CreateTrainingJobCommandInput, hosts: string[]): Promise<void> {
  for (const dir of [layout.configDir, layout.dataDir, layout.modelDir, layout.outputDataDir, layout.checkpointDir]) {
    await mkdir(dir, { recursive: true });
  }
  const channels = job.InputDataConfig ?? [];
  for (const channel of channels) {
    await mkdir(path.join(layout.dataDir, channel.ChannelName ?? ''), { recursive: true });
  }
  const files: Record<string, unknown> = {
    'hyperparameters.json': job.HyperParameters ?? {},
    'inputdataconfig.json': Object.fromEntries(
      channels.map((channel) => [
        channel.ChannelName,
        {
          TrainingInputMode: channel.InputMode ?? job.AlgorithmSpecification?.TrainingInputMode ?? 'File',
          S3DistributionType: channel.DataSource?.S3DataSource?.S3DataDistributionType ?? 'FullyReplicated',
          RecordWrapperType: channel.RecordWrapperType ?? 'None',
          ...(channel.ContentType && { ContentType: channel.ContentType }),
        },
      ]),
    ),
    'resourceconfig.json': {
      current_host: layout.hostName,
      current_instance_type: job.ResourceConfig?.InstanceType,
      hosts,
      network_interface_name: 'lo',
    },
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(layout.configDir, name), `${JSON.stringify(content, null, 2)}\n`);
  }
}

export interface HostIdentity {
  layout: HostLayout;
  hosts: string[];
  rank: number;
  /** Loopback port where rank 0 listens for torch-style rendezvous. */
  masterPort: number;
  /** `127.0.0.1:port` per host: where each host can listen, since all share one address here. */
  hostAddresses: string[];
  jobName: string;
  jobArn: string;
  region: string;
}

/** The environment sagemaker-training-toolkit gives a training script, plus torch-style rendezvous. */
export function trainingEnvironment(job: CreateTrainingJobCommandInput, host: HostIdentity): Record<string, string> {
  const { layout, hosts } = host;
  const hyperParameters = job.HyperParameters ?? {};
  const channels = (job.InputDataConfig ?? []).map((channel) => channel.ChannelName ?? '');
  const channelEnv = Object.fromEntries(channels.map((name) => [`SM_CHANNEL_${name.toUpperCase()}`, path.join(layout.dataDir, name)]));
  const hyperParameterEnv = Object.fromEntries(
    Object.entries(hyperParameters).map(([name, value]) => [`SM_HP_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`, value]),
  );
  const instanceCount = String(hosts.length);
  return {
    SM_MODEL_DIR: layout.modelDir,
    SM_INPUT_DIR: path.dirname(layout.configDir),
    SM_INPUT_CONFIG_DIR: layout.configDir,
    SM_INPUT_DATA_DIR: layout.dataDir,
    SM_OUTPUT_DIR: layout.outputDir,
    SM_OUTPUT_DATA_DIR: layout.outputDataDir,
    SM_OUTPUT_INTERMEDIATE_DIR: path.join(layout.outputDir, 'intermediate'),
    SM_CHECKPOINT_DIR: layout.checkpointDir,
    SM_CHANNELS: JSON.stringify(channels),
    ...channelEnv,
    SM_HPS: JSON.stringify(hyperParameters),
    ...hyperParameterEnv,
    SM_HOSTS: JSON.stringify(hosts),
    SM_CURRENT_HOST: layout.hostName,
    SM_CURRENT_INSTANCE_TYPE: job.ResourceConfig?.InstanceType ?? '',
    SM_NUM_CPUS: String(os.availableParallelism()),
    SM_NUM_GPUS: '0',
    SM_NETWORK_INTERFACE_NAME: 'lo',
    SM_RESOURCE_CONFIG: JSON.stringify({ current_host: layout.hostName, hosts }),
    SM_LOG_LEVEL: '20',
    TRAINING_JOB_NAME: host.jobName,
    TRAINING_JOB_ARN: host.jobArn,
    AWS_REGION: host.region,
    // torch.distributed / torchrun conventions: every host is a node with one process.
    MASTER_ADDR: '127.0.0.1',
    MASTER_PORT: String(host.masterPort),
    WORLD_SIZE: instanceCount,
    RANK: String(host.rank),
    NODE_RANK: String(host.rank),
    LOCAL_RANK: '0',
    SM_EMULATOR_HOST_ADDRESSES: JSON.stringify(host.hostAddresses),
    PYTHONUNBUFFERED: '1',
  };
}
