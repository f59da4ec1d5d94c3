// What endpoints publish to CloudWatch as SageMaker does, in namespace AWS/SageMaker with the
// dimensions EndpointName and VariantName: Invocations, InvocationsPerInstance, ModelLatency and
// OverheadLatency (microseconds), Invocation4XXErrors, Invocation5XXErrors, InvocationModelErrors.
// Invocations are counted as they happen and published as one statistic set per metric and flush;
// recent counts stay in memory for Application Auto Scaling's target tracking.
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Store } from '../../store/store';
import { type MetricDatapoint, publishMetrics } from '../cloudwatch/metrics';
import { parseSagemakerArn } from '../sagemaker/common/arns';
import { PeriodicFlusher } from '../../runtime/periodicFlusher';

export type InvocationOutcome = 'success' | 'clientError' | 'serverError' | 'modelError';

export interface InvocationRecord {
  endpointArn: string;
  endpointName: string;
  variantName: string;
  /** The variant's instance count when it was invoked. */
  instanceCount: number;
  outcome: InvocationOutcome;
  /** Time in the container, and in the emulator around it. */
  modelLatencyMs?: number;
  overheadLatencyMs?: number;
}

interface Statistics {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** How long per-variant invocation times are kept for target tracking (its longest look back). */
const HISTORY_MS = 15 * 60_000;

export class InvocationMetrics {
  /** Per variant key, statistic sets not yet published, by metric name. */
  private pending = new Map<string, { record: InvocationRecord; metrics: Map<string, { unit: StandardUnit; statistics: Statistics }> }>();
  /** Per variant key, when each recent invocation happened (epoch ms), oldest first. */
  private readonly history = new Map<string, number[]>();
  private readonly flusher: PeriodicFlusher;

  constructor(
    private readonly store: Store,
    log: (line: string) => void,
  ) {
    this.flusher = new PeriodicFlusher(() => this.publish(), (error) => log(`publishing endpoint metrics: ${error.message}`));
  }

  start(intervalMs: number): void {
    this.flusher.start(intervalMs);
  }

  record(invocation: InvocationRecord, at = Date.now()): void {
    const key = variantKey(invocation.endpointArn, invocation.variantName);
    const entry = this.pending.get(key) ?? { record: invocation, metrics: new Map() };
    entry.record = invocation;
    this.pending.set(key, entry);
    const add = (name: string, value: number, unit: StandardUnit) => {
      const current = entry.metrics.get(name)?.statistics;
      entry.metrics.set(name, {
        unit,
        statistics: current
          ? { sampleCount: current.sampleCount + 1, sum: current.sum + value, minimum: Math.min(current.minimum, value), maximum: Math.max(current.maximum, value) }
          : { sampleCount: 1, sum: value, minimum: value, maximum: value },
      });
    };
    add('Invocations', 1, 'None');
    add('InvocationsPerInstance', 1 / Math.max(1, invocation.instanceCount), 'None');
    add('Invocation4XXErrors', invocation.outcome === 'clientError' ? 1 : 0, 'None');
    add('Invocation5XXErrors', invocation.outcome === 'serverError' ? 1 : 0, 'None');
    add('InvocationModelErrors', invocation.outcome === 'modelError' ? 1 : 0, 'None');
    if (invocation.modelLatencyMs !== undefined) add('ModelLatency', Math.round(invocation.modelLatencyMs * 1000), 'Microseconds');
    if (invocation.overheadLatencyMs !== undefined) add('OverheadLatency', Math.round(invocation.overheadLatencyMs * 1000), 'Microseconds');

    const times = this.history.get(key) ?? [];
    times.push(at);
    while (times.length > 0 && times[0] < at - HISTORY_MS) times.shift();
    this.history.set(key, times);
  }

  /** Invocations of a variant since `since` (epoch ms), within the last 15 minutes. */
  invocationsSince(endpointArn: string, variantName: string, since: number): number {
    const times = this.history.get(variantKey(endpointArn, variantName)) ?? [];
    let count = 0;
    for (let index = times.length - 1; index >= 0 && times[index] >= since; index--) count++;
    return count;
  }

  /** Publishes what was counted since the last flush; calls are serialised. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  close(): Promise<void> {
    return this.flusher.close();
  }

  private async publish(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    const now = Date.now();
    for (const { record, metrics } of pending.values()) {
      const arn = parseSagemakerArn(record.endpointArn);
      if (!arn) continue;
      const dimensions = { EndpointName: record.endpointName, VariantName: record.variantName };
      const datapoints: MetricDatapoint[] = [...metrics].map(([name, { unit, statistics }]) => ({
        namespace: 'AWS/SageMaker',
        name,
        dimensions,
        timestamp: now,
        statistics,
        unit,
      }));
      await publishMetrics({ store: this.store, accountId: arn.accountId, region: arn.region }, datapoints);
    }
  }
}

function variantKey(endpointArn: string, variantName: string): string {
  return `${endpointArn}\n${variantName}`;
}
