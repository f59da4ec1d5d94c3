// Target tracking, as Application Auto Scaling does it for SageMaker variants: each evaluation period
// the policy's metric — invocations per instance per minute (SageMakerVariantInvocationsPerInstance)
// — is compared with its TargetValue. Above it for `scaleOutEvaluations` periods in a row, the variant
// scales out to ceil(instances × metric ÷ target); below 90% of it for `scaleInEvaluations` periods,
// it scales in the same way — within the target's bounds, after the policy's cooldowns, unless
// scaling that way is suspended or disabled. AWS's alarms use 3 and 15 one-minute datapoints.

/** One target tracking policy of a registered variant, as the autoscaler needs it. */
export interface TrackedVariant {
  /** Names the target and policy, to remember their history between evaluations. */
  key: string;
  endpointArn: string;
  variantName: string;
  /** What serves now; undefined while the endpoint is not InService (nothing is scaled then). */
  instanceCount: number | undefined;
  minCapacity: number;
  maxCapacity: number;
  targetValue: number;
  scaleOutCooldownMs: number;
  scaleInCooldownMs: number;
  /** DisableScaleIn, or DynamicScalingInSuspended. */
  scaleInDisabled: boolean;
  scaleOutDisabled: boolean;
}

export interface AutoscalingRepository {
  trackedVariants(): TrackedVariant[];
  /** Sets the variant's desired instance count, as a scaling activity with its cause. */
  scale(variant: TrackedVariant, desired: number, cause: string): Promise<void>;
}

export interface AutoscalerOptions {
  repository: AutoscalingRepository;
  /** Invocations of a variant since a time (epoch ms). */
  invocationsSince(endpointArn: string, variantName: string, since: number): number;
  /** The metric period: 60 s as on AWS; shorter for tests and demos. */
  evaluationMs: number;
  scaleOutEvaluations: number;
  scaleInEvaluations: number;
  log(line: string): void;
}

export const DEFAULT_AUTOSCALING = { evaluationMs: 60_000, scaleOutEvaluations: 3, scaleInEvaluations: 15 };

interface History {
  high: number;
  low: number;
  lastScaledOut?: number;
  lastScaledIn?: number;
}

export class Autoscaler {
  private readonly history = new Map<string, History>();
  private timer: NodeJS.Timeout | undefined;
  private evaluating: Promise<void> = Promise.resolve();

  constructor(private readonly options: AutoscalerOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.evaluating = this.evaluating.then(() => this.evaluate()).catch((error: Error) => this.options.log(`autoscaling: ${error.message}`));
    }, this.options.evaluationMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.evaluating;
  }

  /** One evaluation period. */
  async evaluate(now = Date.now()): Promise<void> {
    const { evaluationMs } = this.options;
    const seen = new Set<string>();
    for (const variant of this.options.repository.trackedVariants()) {
      seen.add(variant.key);
      const history = this.history.get(variant.key) ?? { high: 0, low: 0 };
      this.history.set(variant.key, history);
      if (variant.instanceCount === undefined || variant.instanceCount === 0) continue;
      const instances = variant.instanceCount;
      const invocations = this.options.invocationsSince(variant.endpointArn, variant.variantName, now - evaluationMs);
      const perInstancePerMinute = (invocations / instances) * (60_000 / evaluationMs);
      history.high = perInstancePerMinute > variant.targetValue ? history.high + 1 : 0;
      history.low = perInstancePerMinute < 0.9 * variant.targetValue ? history.low + 1 : 0;
      const proportional = Math.ceil((instances * perInstancePerMinute) / variant.targetValue);
      const metric = `${perInstancePerMinute.toFixed(1)} invocations per instance per minute`;

      if (history.high >= this.options.scaleOutEvaluations && !variant.scaleOutDisabled) {
        const desired = Math.min(variant.maxCapacity, Math.max(proportional, instances + 1));
        if (desired > instances && now - (history.lastScaledOut ?? -Infinity) >= variant.scaleOutCooldownMs) {
          history.high = 0;
          history.lastScaledOut = now;
          await this.options.repository.scale(variant, desired, `the metric was ${metric}, above the target of ${variant.targetValue} for ${this.options.scaleOutEvaluations} periods`);
        }
      } else if (history.low >= this.options.scaleInEvaluations && !variant.scaleInDisabled) {
        const desired = Math.max(variant.minCapacity, proportional, 1);
        const cooledDown = now - Math.max(history.lastScaledIn ?? -Infinity, history.lastScaledOut ?? -Infinity) >= variant.scaleInCooldownMs;
        if (desired < instances && cooledDown) {
          history.low = 0;
          history.lastScaledIn = now;
          await this.options.repository.scale(variant, desired, `the metric was ${metric}, below 90% of the target of ${variant.targetValue} for ${this.options.scaleInEvaluations} periods`);
        }
      }
    }
    for (const key of this.history.keys()) if (!seen.has(key)) this.history.delete(key);
  }
}
