// Serving registered model versions: a SageMaker model made from a version (its container names the
// model package, as the SageMaker Python SDK's ModelPackage does), and moving an endpoint to another
// version blue/green — a new endpoint configuration that differs only in the variant's model, then
// UpdateEndpoint, which keeps the variants' instance counts and weights (autoscaled counts survive).
// If the new fleet fails, SageMaker rolls back: the endpoint is InService again on its previous
// configuration, with the reason in FailureReason.
import type {
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  DescribeEndpointConfigCommandOutput,
  EndpointStatus,
  SageMakerClient,
  UpdateEndpointCommandInput,
} from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { classifyFailure } from '../failures/classify';
import { about } from '../failures/resources';
import { validName } from './names';
import type { EndpointSummary } from './endpoints';
import { parseModelPackageArn, versionLabel } from './registry';

/** A model whose container is the registered version (image and model data come from the version). */
export function modelFromVersionRequest(modelName: string, versionArn: string, executionRoleArn: string): CreateModelCommandInput {
  return { ModelName: modelName, ExecutionRoleArn: executionRoleArn, PrimaryContainer: { ModelPackageName: versionArn } };
}

/** The version a model serves, if its container names one. */
export function versionOfModel(model: { PrimaryContainer?: { ModelPackageName?: string }; Containers?: { ModelPackageName?: string }[] }): string | undefined {
  return model.PrimaryContainer?.ModelPackageName ?? model.Containers?.find((container) => container.ModelPackageName)?.ModelPackageName;
}

/** `base` with `-suffix`, cut so that the whole is a valid SageMaker name (63 characters at most). */
export function suffixedName(base: string, suffix: string): string {
  const room = 63 - suffix.length - 1;
  return `${validName(base).slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/** A compact UTC timestamp for names: 20261202-010742. */
export function nameStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export interface VersionUpdatePlan {
  endpointName: string;
  variantName: string;
  versionArn: string;
  executionRoleArn: string;
  /** New names: the model made from the version, and the configuration that serves it. */
  modelName: string;
  configName: string;
}

/** Names for the model and configuration of an update: `<endpoint>-v<N>-<stamp>` and `<endpoint>-<stamp>`. */
export function versionUpdateNames(endpointName: string, versionArn: string, at: Date): { modelName: string; configName: string } {
  const stamp = nameStamp(at);
  const version = parseModelPackageArn(versionArn)?.version;
  return {
    modelName: suffixedName(endpointName, version === undefined ? stamp : `v${version}-${stamp}`),
    configName: suffixedName(endpointName, stamp),
  };
}

/**
 * The endpoint's current configuration with one variant serving another model; everything else
 * (instance types, data capture, encryption, …) as it was.
 */
export function updatedConfigRequest(
  current: Omit<DescribeEndpointConfigCommandOutput, '$metadata'>,
  variantName: string,
  modelName: string,
  configName: string,
): CreateEndpointConfigCommandInput {
  const variants = current.ProductionVariants ?? [];
  if (!variants.some((variant) => variant.VariantName === variantName)) {
    throw new Error(`Endpoint configuration ${current.EndpointConfigName} has no variant ${variantName}.`);
  }
  const { EndpointConfigArn: _arn, CreationTime: _created, EndpointConfigName: _name, ...rest } = current;
  return {
    ...rest,
    EndpointConfigName: configName,
    ProductionVariants: variants.map((variant) => (variant.VariantName === variantName ? { ...variant, ModelName: modelName } : variant)),
  };
}

/** Blue/green to the new configuration, keeping what each variant has scaled to. */
export function updateEndpointRequest(endpointName: string, configName: string): UpdateEndpointCommandInput {
  return { EndpointName: endpointName, EndpointConfigName: configName, RetainAllVariantProperties: true };
}

/**
 * Starts moving a variant of the endpoint to a model version: a model from the version, a
 * configuration that serves it, UpdateEndpoint. What was made is deleted again if a later step is
 * refused. Returns the new configuration's name, to follow the update with.
 */
export async function startVersionUpdate(sageMaker: SageMakerClient, plan: VersionUpdatePlan): Promise<string> {
  const sdk = await loadSdk();
  const endpoint = await about({ kind: 'endpoint', name: plan.endpointName }, sageMaker.send(new sdk.DescribeEndpointCommand({ EndpointName: plan.endpointName })));
  if (endpoint.EndpointStatus !== 'InService') {
    throw new Error(`Endpoint ${plan.endpointName} is ${endpoint.EndpointStatus}: it can be updated once it is InService.`);
  }
  const current = await about(
    { kind: 'endpointConfig', name: endpoint.EndpointConfigName! },
    sageMaker.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName! })),
  );
  const undo: (() => Promise<unknown>)[] = [];
  try {
    await about({ kind: 'model', name: plan.modelName }, sageMaker.send(new sdk.CreateModelCommand(modelFromVersionRequest(plan.modelName, plan.versionArn, plan.executionRoleArn))));
    undo.push(() => sageMaker.send(new sdk.DeleteModelCommand({ ModelName: plan.modelName })));
    await about(
      { kind: 'endpointConfig', name: plan.configName },
      sageMaker.send(new sdk.CreateEndpointConfigCommand(updatedConfigRequest(current, plan.variantName, plan.modelName, plan.configName))),
    );
    undo.push(() => sageMaker.send(new sdk.DeleteEndpointConfigCommand({ EndpointConfigName: plan.configName })));
    await about({ kind: 'endpoint', name: plan.endpointName }, sageMaker.send(new sdk.UpdateEndpointCommand(updateEndpointRequest(plan.endpointName, plan.configName))));
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
  return plan.configName;
}

/** How an endpoint creation or update ended. */
export type DeploymentOutcome =
  | { kind: 'inService'; configName: string }
  /** The update failed and SageMaker went back to the configuration that served before. */
  | { kind: 'rolledBack'; configName: string; reason: string }
  | { kind: 'failed'; status: EndpointStatus; reason: string }
  /** Deleted, or being deleted. */
  | { kind: 'gone' };

/** What a DescribeEndpoint says of a deployment of `targetConfig`, or undefined while it is under way. */
export function deploymentOutcome(
  targetConfig: string,
  endpoint: { EndpointStatus?: EndpointStatus; EndpointConfigName?: string; FailureReason?: string } | undefined,
): DeploymentOutcome | undefined {
  // Deleting: the deployment can only end in the endpoint's deletion, so the wait ends now.
  if (!endpoint || endpoint.EndpointStatus === 'Deleting') return { kind: 'gone' };
  const status = endpoint.EndpointStatus;
  if (status === 'Creating' || status === 'Updating' || status === 'SystemUpdating' || status === 'RollingBack') return undefined;
  if (status === 'InService') {
    return endpoint.EndpointConfigName === targetConfig
      ? { kind: 'inService', configName: targetConfig }
      : { kind: 'rolledBack', configName: endpoint.EndpointConfigName ?? '', reason: endpoint.FailureReason ?? 'SageMaker gave no reason.' };
  }
  return { kind: 'failed', status: status ?? 'Failed', reason: endpoint.FailureReason ?? 'SageMaker gave no reason.' };
}

/**
 * Re-reads the endpoint until the deployment of `targetConfig` ends (every `intervalMs`), reporting
 * each status; an aborted signal ends the wait (not the deployment).
 */
export async function followDeployment(
  sageMaker: SageMakerClient,
  endpointName: string,
  targetConfig: string,
  options: { intervalMs?: number; signal?: AbortSignal; onStatus?: (status: EndpointStatus, endpoint: EndpointSummary) => void } = {},
): Promise<DeploymentOutcome | undefined> {
  const { DescribeEndpointCommand } = await loadSdk();
  for (;;) {
    const endpoint = await about({ kind: 'endpoint', name: endpointName }, sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }))).catch((error: unknown) => {
      if (classifyFailure(error).kind === 'notFound') return undefined; // deleted meanwhile
      throw error;
    });
    if (endpoint?.EndpointStatus) {
      options.onStatus?.(endpoint.EndpointStatus, {
        name: endpointName,
        arn: endpoint.EndpointArn ?? '',
        status: endpoint.EndpointStatus,
        createdAt: endpoint.CreationTime,
        modifiedAt: endpoint.LastModifiedTime,
        failureReason: endpoint.FailureReason,
      });
    }
    const outcome = deploymentOutcome(targetConfig, endpoint);
    if (outcome) return outcome;
    if (options.signal?.aborted) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs ?? 1000);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** The sentence a user reads when a deployment ends. */
export function describeOutcome(endpointName: string, outcome: DeploymentOutcome, versionArn?: string): string {
  const version = versionArn ? parseModelPackageArn(versionArn) : undefined;
  const what = version?.version === undefined ? 'the new model' : versionLabel({ group: version.group, version: version.version });
  switch (outcome.kind) {
    case 'inService':
      return `Endpoint ${endpointName} is InService with ${what}.`;
    case 'rolledBack':
      return `Endpoint ${endpointName} could not move to ${what}: SageMaker rolled back to ${outcome.configName}, which still serves. Reason: ${outcome.reason}`;
    case 'failed':
      return `Endpoint ${endpointName} is ${outcome.status}: ${outcome.reason}`;
    case 'gone':
      return `Endpoint ${endpointName} was deleted.`;
  }
}
