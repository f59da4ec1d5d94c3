// The one protocol between the training job panel and the extension host, imported by both sides.
// Plain data only: dates travel as epoch milliseconds, metric series as columns (Float64Array), which
// VS Code hands to the webview as buffers: 100,000 points are two blocks of memory, not 200,000
// numbers encoded and cloned one by one.
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
  timestamps: Float64Array;
  values: Float64Array;
}

/** A series as the host reads it (arrays of numbers) in the form it is sent. */
export function toMetricSeriesView(series: { metric: string; host: string; timestamps: readonly number[]; values: readonly number[] }): MetricSeriesView {
  return { metric: series.metric, host: series.host, timestamps: Float64Array.from(series.timestamps), values: Float64Array.from(series.values) };
}

export function isMetricSeriesView(value: unknown): value is MetricSeriesView {
  const series = value as Partial<MetricSeriesView> | null;
  return (
    typeof series?.metric === 'string' &&
    typeof series.host === 'string' &&
    series.timestamps instanceof Float64Array &&
    series.values instanceof Float64Array &&
    series.timestamps.length === series.values.length
  );
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
    (message?.type === 'metrics' && Array.isArray(message.series) && message.series.every(isMetricSeriesView) && typeof message.live === 'boolean') ||
    isBannerMessage(value)
  );
}
