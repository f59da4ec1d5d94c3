// AlgorithmSpecification.MetricDefinitions: regexes over the training log, as SageMaker applies
// them. Each match of a definition's first capture group is a sample; the last one is final.
import type { MetricDefinition } from '@aws-sdk/client-sagemaker';

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
