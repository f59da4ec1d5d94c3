// What a real-time endpoint costs while it runs: instances × the on-demand USD/hour of their type, from
// the price table below or the user's overrides. A type the table does not know is "price unknown" —
// never a guess. Pure, unit-tested.

/**
 * SageMaker real-time inference on-demand prices, USD per instance-hour, in us-east-1.
 *
 * Source: AWS's own sample repository aws-samples/foundation-model-benchmarking-tool, file
 * fmbench/configs/pricing_fallback.yml ("SageMaker Hourly Instance Pricing"), at commit
 * 77ece06a5a190ea7c3dc637145b4993db3307635 —
 * https://github.com/aws-samples/foundation-model-benchmarking-tool/blob/77ece06a5a190ea7c3dc637145b4993db3307635/fmbench/configs/pricing_fallback.yml
 * read on 2026-12-02. The file does not name its region; its EC2 rows beside these (m5.xlarge 0.192,
 * g5.xlarge 1.006, p4d.24xlarge 32.7726, citing https://aws.amazon.com/ec2/pricing/on-demand/) are
 * us-east-1's Linux on-demand prices, so the table is taken as us-east-1's and used for no other
 * region. Types it does not list (ml.m5.large among them) are unknown here: set
 * `sagemaker.cost.pricePerHour` for them, and for other regions, from
 * https://aws.amazon.com/sagemaker/pricing/.
 */
export const PRICE_TABLE: { readonly source: string; readonly readOn: string; readonly prices: Readonly<Record<string, Readonly<Record<string, number>>>> } = {
  source:
    'https://github.com/aws-samples/foundation-model-benchmarking-tool/blob/77ece06a5a190ea7c3dc637145b4993db3307635/fmbench/configs/pricing_fallback.yml',
  readOn: '2026-12-02',
  prices: {
    'us-east-1': {
      'ml.c5.xlarge': 0.204,
      'ml.c5.2xlarge': 0.408,
      'ml.c5.4xlarge': 0.816,
      'ml.c7i.xlarge': 0.214,
      'ml.m5.xlarge': 0.23,
      'ml.g4dn.xlarge': 0.7364,
      'ml.g4dn.2xlarge': 0.94,
      'ml.g4dn.4xlarge': 1.505,
      'ml.g4dn.8xlarge': 2.72,
      'ml.g4dn.12xlarge': 4.89,
      'ml.g4dn.16xlarge': 5.44,
      'ml.g5.xlarge': 1.4084,
      'ml.g5.2xlarge': 1.515,
      'ml.g5.4xlarge': 2.03,
      'ml.g5.8xlarge': 3.06,
      'ml.g5.12xlarge': 7.09,
      'ml.g5.24xlarge': 10.18,
      'ml.g5.48xlarge': 20.36,
      'ml.g6.2xlarge': 1.222,
      'ml.g6.12xlarge': 5.752,
      'ml.g6.16xlarge': 4.246,
      'ml.g6.24xlarge': 8.344,
      'ml.g6.48xlarge': 16.688,
      'ml.inf2.xlarge': 0.99,
      'ml.inf2.8xlarge': 2.36,
      'ml.inf2.24xlarge': 7.79,
      'ml.inf2.48xlarge': 15.58,
      'ml.p3.2xlarge': 3.825,
      'ml.p4d.24xlarge': 37.688,
      'ml.p5.48xlarge': 113.068,
      'ml.trn1.32xlarge': 28.497,
    },
  },
};

/**
 * The user's prices (setting `sagemaker.cost.pricePerHour`): `"ml.m5.large": 0.115` for every region,
 * `"eu-west-1/ml.g5.xlarge": 1.6` for one; the regional one wins, and either wins over the table.
 */
export type PriceOverrides = Readonly<Record<string, number>>;

/** What the settings hold, kept only where it is a non-negative number (a typo must not become a price). */
export function parsePriceOverrides(value: unknown): PriceOverrides {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]) && entry[1] >= 0));
}

/** USD per instance-hour, or undefined when neither the overrides nor the table know the type there. */
export function hourlyPrice(instanceType: string, region: string, overrides: PriceOverrides = {}): number | undefined {
  return overrides[`${region}/${instanceType}`] ?? overrides[instanceType] ?? PRICE_TABLE.prices[region]?.[instanceType];
}

export interface PricedInstances {
  instanceType?: string;
  /** The instances running now (CurrentInstanceCount). */
  count?: number;
}

export interface Cost {
  /** USD/hour of the instances whose price is known. */
  usdPerHour: number;
  /** Instance types running here with no known price: the total leaves them out. */
  unknownTypes: string[];
}

/** What instances cost per hour; serverless variants and variants with no instances cost nothing by the hour. */
export function hourlyCost(instances: readonly PricedInstances[], region: string, overrides: PriceOverrides = {}): Cost {
  let usdPerHour = 0;
  const unknownTypes = new Set<string>();
  for (const { instanceType, count } of instances) {
    if (!instanceType || instanceType === 'serverless' || !count) continue;
    const price = hourlyPrice(instanceType, region, overrides);
    if (price === undefined) unknownTypes.add(instanceType);
    else usdPerHour += price * count;
  }
  return { usdPerHour, unknownTypes: [...unknownTypes].sort() };
}

/** The sum of several costs (a region's endpoints). */
export function totalCost(costs: readonly Cost[]): Cost {
  return {
    usdPerHour: costs.reduce((sum, cost) => sum + cost.usdPerHour, 0),
    unknownTypes: [...new Set(costs.flatMap((cost) => cost.unknownTypes))].sort(),
  };
}

/** "$1.41/h", "$0.23/h + price unknown (ml.m5.large)", "price unknown (ml.m5.large)". */
export function formatCost(cost: Cost): string {
  const unknown = cost.unknownTypes.length > 0 ? `price unknown (${cost.unknownTypes.join(', ')})` : undefined;
  if (cost.usdPerHour === 0 && unknown) return unknown;
  const known = `${formatUsd(cost.usdPerHour)}/h`;
  return unknown ? `${known} + ${unknown}` : known;
}

/** Dollars with cents, or with a tenth of a cent below a dollar ($0.115 is not $0.12). */
export function formatUsd(usd: number): string {
  const tenths = usd.toFixed(3);
  return `$${usd < 1 && !tenths.endsWith('0') ? tenths : usd.toFixed(2)}`;
}
