// The one protocol between the training job panel and the extension host, imported by both sides.
// Plain data only: dates travel as epoch milliseconds.
import { isBannerMessage, isStepMessage, type BannerMessage, type StepMessage } from '../shared/bannerProtocol';

export interface TrainingJobView {
  name: string;
  arn: string;
  status: string;
  secondaryStatus?: string;
  failureReason?: string;
  createdAt?: number;
  startedAt?: number;
  endedAt?: number;
  instanceType?: string;
  instanceCount?: number;
  image?: string;
  hyperParameters: Record<string, string>;
  channels: { name: string; uri?: string }[];
  outputPath?: string;
  checkpointUri?: string;
  modelArtifacts?: string;
  transitions: { status: string; message?: string; startedAt?: number; endedAt?: number }[];
  finalMetrics: { name: string; value: number }[];
}

/** One metric of one host, as CloudWatch has it: epoch milliseconds ascending, and the values at them. */
export interface MetricSeriesView {
  metric: string;
  host: string;
  timestamps: number[];
  values: number[];
}

/** Host → panel. `metrics` carries every series so far; `live` while the job runs and they are re-read. */
export type HostMessage =
  | { type: 'job'; job: TrainingJobView }
  | { type: 'metrics'; series: MetricSeriesView[]; live: boolean; message?: string }
  /** The job could not be read (the failure, with its next steps), or can again; also the connection's state. */
  | BannerMessage;

/** Panel → host. */
export type PanelMessage = { type: 'ready' } | { type: 'refresh' } | StepMessage;

export function isPanelMessage(value: unknown): value is PanelMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'refresh' || isStepMessage(value);
}

export function isHostMessage(value: unknown): value is HostMessage {
  const message = value as { type?: unknown; job?: unknown; series?: unknown; live?: unknown } | null;
  return (
    (message?.type === 'job' && typeof message.job === 'object' && message.job !== null) ||
    (message?.type === 'metrics' && Array.isArray(message.series) && typeof message.live === 'boolean') ||
    isBannerMessage(value)
  );
}
