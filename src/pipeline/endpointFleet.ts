// What an endpoint runs, for the Endpoints view: each production variant's instance type and counts,
// the registered model version its model serves, whether it autoscales, and what all of it costs per
// hour. Endpoint configurations and models never change once made, so they are read once per name
// and kept (a new configuration or model has a new name).
import type { DescribeEndpointConfigCommandOutput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { variantResourceId } from './autoscaling';
import { variantsOf, type VariantSummary } from './endpoints';
import { versionOfModel } from './endpointUpdates';
import { hourlyCost, type Cost, type PriceOverrides } from './pricing';
import { parseModelPackageArn } from './registry';

export interface FleetVariant extends VariantSummary {
  /** The registered version the model serves (its container names the model package). */
  modelVersion?: { arn: string; group: string; version?: number };
  autoscaled: boolean;
}

export interface Fleet {
  configName?: string;
  /** Why the endpoint failed, or why its last update was rolled back (it is InService again then). */
  failureReason?: string;
  variants: FleetVariant[];
  /** What the instances running now cost per hour. */
  cost: Cost;
}

type EndpointConfig = Omit<DescribeEndpointConfigCommandOutput, '$metadata'>;

/** Reads of immutable resources, kept by name for the life of a connection. */
export class FleetReader {
  private readonly configs = new Map<string, Promise<EndpointConfig | undefined>>();
  private readonly modelVersions = new Map<string, Promise<string | undefined>>();

  constructor(private readonly sageMaker: SageMakerClient) {}

  /**
   * The endpoint's variants — counts and weights from DescribeEndpoint, model and instance type from
   * its configuration (while Creating, the configuration's variants with what they are to become) —
   * with their versions and cost. `autoscaled`: the resource IDs of autoscaled variants.
   */
  async fleet(endpointName: string, region: string, overrides: PriceOverrides, autoscaled: ReadonlySet<string>): Promise<Fleet> {
    const { DescribeEndpointCommand } = await loadSdk();
    const endpoint = await this.sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
    const config = endpoint.EndpointConfigName ? await this.config(endpoint.EndpointConfigName) : undefined;
    const variants = await Promise.all(
      variantsOf(endpoint, config).map(async (variant): Promise<FleetVariant> => {
        const versionArn = variant.modelName ? await this.modelVersion(variant.modelName) : undefined;
        const version = versionArn ? parseModelPackageArn(versionArn) : undefined;
        return {
          ...variant,
          modelVersion: versionArn && version ? { arn: versionArn, group: version.group, version: version.version } : undefined,
          autoscaled: autoscaled.has(variantResourceId(endpointName, variant.name)),
        };
      }),
    );
    const cost = hourlyCost(
      variants.map((variant) => ({ instanceType: variant.instanceType, count: variant.currentInstanceCount })),
      region,
      overrides,
    );
    return { configName: endpoint.EndpointConfigName, failureReason: endpoint.FailureReason, variants, cost };
  }

  /** A configuration deleted since is undefined: the endpoint still serves, without its model's name. */
  private config(name: string): Promise<EndpointConfig | undefined> {
    let config = this.configs.get(name);
    if (!config) {
      config = loadSdk()
        .then(({ DescribeEndpointConfigCommand }) => this.sageMaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })))
        .catch(() => undefined);
      this.configs.set(name, config);
    }
    return config;
  }

  private modelVersion(modelName: string): Promise<string | undefined> {
    let version = this.modelVersions.get(modelName);
    if (!version) {
      version = loadSdk()
        .then(({ DescribeModelCommand }) => this.sageMaker.send(new DescribeModelCommand({ ModelName: modelName })))
        .then((model) => versionOfModel(model))
        .catch(() => {
          this.modelVersions.delete(modelName); // deleted, or not readable now: ask again next time
          return undefined;
        });
      this.modelVersions.set(modelName, version);
    }
    return version;
  }
}
