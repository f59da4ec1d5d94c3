// AlgorithmSpecification.MetricDefinitions: regexes over the training log, as SageMaker applies
// them. Each match of a definition's first capture group is a sample; the last one (of algo-1) is
// final. Every host's samples are also published to CloudWatch while the job runs, as SageMaker
// does: namespace `/aws/sagemaker/TrainingJobs`, the definition's name, dimension
// `Host=<job>/algo-<n>`, timestamped when the line was printed.
import type { MetricDefinition } from '@aws-sdk/client-sagemaker';
import { PeriodicFlusher } from '../periodicFlusher';

export const TRAINING_METRIC_NAMESPACE = '/aws/sagemaker/TrainingJobs';

export interface MetricSample {
  name: string;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface MetricMatcher {
  /** Samples a log line yields, in definition order. */
  samples(line: string, timestamp: number): MetricSample[];
}

export function metricMatcher(definitions: MetricDefinition[] | undefined): MetricMatcher {
  const compiled = (definitions ?? []).flatMap((definition) => {
    try {
      return [{ name: definition.Name ?? '', pattern: new RegExp(definition.Regex ?? '') }];
    } catch {
      // A regex JavaScript cannot compile yields no samples, as an unmatched one would.
      return [];
    }
  });
  return {
    samples(line, timestamp) {
      return compiled.flatMap(({ name, pattern }) => {
        const match = pattern.exec(line);
        const value = match ? Number(match[1] ?? match[0]) : Number.NaN;
        return Number.isFinite(value) ? [{ name, value, timestamp }] : [];
      });
    },
  };
}

/** FinalMetricDataList (timestamps in epoch ms, as the store keeps them): the last sample of each metric. */
export function finalMetrics(samples: readonly MetricSample[]): { MetricName: string; Value: number; timestamp: number }[] {
  const last = new Map<string, MetricSample>();
  for (const sample of samples) last.set(sample.name, sample);
  return [...last.values()].map((sample) => ({ MetricName: sample.name, Value: sample.value, timestamp: sample.timestamp }));
}

/** A sample of one of the job's hosts (`algo-<n>`). */
export interface HostMetricSample extends MetricSample {
  host: string;
}

/** Gathers the hosts' samples and publishes them in batches, a few times a second, in order. */
export class MetricPublisher {
  private pending: HostMetricSample[] = [];
  private readonly flusher: PeriodicFlusher;

  constructor(publish: (samples: HostMetricSample[]) => Promise<void>, onError: (error: Error) => void) {
    this.flusher = new PeriodicFlusher(async () => {
      const batch = this.pending;
      this.pending = [];
      if (batch.length > 0) await publish(batch);
    }, onError);
  }

  start(intervalMs: number): void {
    this.flusher.start(intervalMs);
  }

  add(host: string, samples: readonly MetricSample[]): void {
    for (const sample of samples) this.pending.push({ ...sample, host });
  }

  flush(): Promise<void> {
    return this.flusher.flush();
  }

  close(): Promise<void> {
    return this.flusher.close();
  }
}
