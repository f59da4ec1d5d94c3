// DescribeTrainingJob → what the training job panel shows. Pure, unit-tested.
import type { TrainingJobView } from '../../webview/trainingJob/protocol';
import type { TrainingJobDescription } from '../pipeline/trainingJobs';

const epoch = (date: Date | undefined) => date?.getTime();

export function toTrainingJobView(job: TrainingJobDescription): TrainingJobView {
  return {
    name: job.TrainingJobName ?? '',
    arn: job.TrainingJobArn ?? '',
    status: job.TrainingJobStatus ?? 'Unknown',
    secondaryStatus: job.SecondaryStatus,
    failureReason: job.FailureReason,
    createdAt: epoch(job.CreationTime),
    startedAt: epoch(job.TrainingStartTime),
    endedAt: epoch(job.TrainingEndTime),
    instanceType: job.ResourceConfig?.InstanceType,
    instanceCount: job.ResourceConfig?.InstanceCount,
    image: job.AlgorithmSpecification?.TrainingImage ?? job.AlgorithmSpecification?.AlgorithmName,
    hyperParameters: { ...job.HyperParameters },
    channels: (job.InputDataConfig ?? []).map((channel) => ({
      name: channel.ChannelName ?? '',
      uri: channel.DataSource?.S3DataSource?.S3Uri ?? channel.DataSource?.FileSystemDataSource?.DirectoryPath,
    })),
    outputPath: job.OutputDataConfig?.S3OutputPath,
    checkpointUri: job.CheckpointConfig?.S3Uri,
    modelArtifacts: job.ModelArtifacts?.S3ModelArtifacts,
    transitions: (job.SecondaryStatusTransitions ?? []).map((transition) => ({
      status: transition.Status ?? '',
      message: transition.StatusMessage,
      startedAt: epoch(transition.StartTime),
      endedAt: epoch(transition.EndTime),
    })),
    finalMetrics: (job.FinalMetricDataList ?? []).flatMap((metric) =>
      metric.MetricName !== undefined && metric.Value !== undefined ? [{ name: metric.MetricName, value: metric.Value }] : [],
    ),
  };
}
