// "SageMaker: Configure Autoscaling…" — target tracking for an endpoint variant: minimum and maximum
// instances, a target of invocations per instance per minute (or CPU utilization), and the scale-in
// and scale-out cooldowns (see pipeline/autoscaling.ts). What is configured now fills the prompts.
import * as vscode from 'vscode';
import {
  autoscalingProblem,
  configureAutoscaling as configureAutoscalingCalls,
  DEFAULT_COOLDOWNS,
  describeScaling,
  describeVariantScaling,
  type AutoscalingSettings,
  type ScalingMetric,
} from '../../pipeline/autoscaling';
import { pickVariant } from '../../pickers/pickVariant';
import { EndpointTreeItem, VariantTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

type Given = Partial<Omit<AutoscalingSettings, 'endpointName' | 'variantName'>>;

export async function configureAutoscaling(
  workbench: Pick<Workbench, 'connection' | 'endpoints'>,
  node?: VariantTreeItem | EndpointTreeItem,
  given: Given = {},
): Promise<AutoscalingSettings | undefined> {
  const title = 'Configure Autoscaling';
  const target =
    node instanceof VariantTreeItem
      ? { endpointName: node.endpointName, variantName: node.variant.name, desired: node.variant.desiredInstanceCount }
      : await pickVariant(workbench, { title, endpointName: node instanceof EndpointTreeItem ? node.endpoint.name : undefined });
  if (!target) return undefined;
  const autoscaling = await workbench.connection.clients.autoscaling();
  const current = await describeVariantScaling(autoscaling, target.endpointName, target.variantName);
  const where = `${target.endpointName} / ${target.variantName}`;
  const now = current ? `Now: ${describeScaling(current)}.` : 'It has a fixed instance count now.';

  const minInstances = given.minInstances ?? (await askCount(`${title}: ${where}`, `Minimum instances. ${now}`, current?.minInstances ?? 1, 1));
  if (minInstances === undefined) return undefined;
  const maxInstances = given.maxInstances ?? (await askCount(`${title}: ${where}`, `Maximum instances (at least ${minInstances}). ${now}`, Math.max(current?.maxInstances ?? 4, minInstances), minInstances));
  if (maxInstances === undefined) return undefined;
  const metric = given.metric ?? (await askMetric(`${title}: ${where}`, current?.policy?.metric));
  if (!metric) return undefined;
  const currentTarget = current?.policy?.metric === metric ? current.policy.targetValue : undefined;
  const targetValue =
    given.targetValue ??
    (await askNumber(
      `${title}: ${where}`,
      metric === 'invocations' ? 'Target invocations per instance per minute: more adds instances, less removes them' : 'Target CPU utilization, percent of the instance',
      currentTarget ?? (metric === 'invocations' ? 70 : 50),
      (value) => autoscalingProblem({ minInstances, maxInstances, metric, targetValue: value }),
    ));
  if (targetValue === undefined) return undefined;
  const scaleInCooldownSeconds =
    given.scaleInCooldownSeconds ??
    (await askNumber(`${title}: ${where}`, 'Scale-in cooldown, seconds: how long after a change before instances are removed', current?.policy?.scaleInCooldownSeconds ?? DEFAULT_COOLDOWNS.scaleInCooldownSeconds, seconds));
  if (scaleInCooldownSeconds === undefined) return undefined;
  const scaleOutCooldownSeconds =
    given.scaleOutCooldownSeconds ??
    (await askNumber(`${title}: ${where}`, 'Scale-out cooldown, seconds: how long after adding instances before adding more', current?.policy?.scaleOutCooldownSeconds ?? DEFAULT_COOLDOWNS.scaleOutCooldownSeconds, seconds));
  if (scaleOutCooldownSeconds === undefined) return undefined;

  const settings: AutoscalingSettings = { ...target, minInstances, maxInstances, metric, targetValue, scaleInCooldownSeconds, scaleOutCooldownSeconds };
  const problem = autoscalingProblem(settings);
  if (problem) throw new Error(problem);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Configuring autoscaling of ${where}` }, () => configureAutoscalingCalls(autoscaling, settings));
  workbench.endpoints.refresh();
  void vscode.window.showInformationMessage(`${where} now autoscales: ${describeScaling({ minInstances, maxInstances, policy: { name: '', metric, targetValue, scaleInCooldownSeconds, scaleOutCooldownSeconds } })}.`);
  return settings;
}

function seconds(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 ? undefined : 'A whole number of seconds, 0 or more.';
}

async function askCount(title: string, prompt: string, value: number, minimum: number): Promise<number | undefined> {
  return askNumber(title, prompt, value, (count) => (Number.isInteger(count) && count >= minimum ? undefined : `A whole number of instances, ${minimum} or more.`));
}

async function askNumber(title: string, prompt: string, value: number, problem: (value: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (input) => (input.trim() === '' || !Number.isFinite(Number(input)) ? 'A number.' : problem(Number(input))),
  });
  return text === undefined ? undefined : Number(text);
}

async function askMetric(title: string, current: string | undefined): Promise<ScalingMetric | undefined> {
  const items = [
    { label: 'Invocations per instance', description: 'SageMakerVariantInvocationsPerInstance, per minute: scales with traffic', metric: 'invocations' as const },
    { label: 'CPU utilization', description: 'CPUUtilization of the instances, percent', metric: 'cpu' as const },
  ];
  const picked = await vscode.window.showQuickPick(
    items.map((item) => ({ ...item, picked: item.metric === current })),
    { title, placeHolder: 'The metric target tracking keeps at its target' },
  );
  return picked?.metric;
}
