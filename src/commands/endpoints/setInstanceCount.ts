// "SageMaker: Set Instance Count…" — the instances of an endpoint variant, set by hand
// (UpdateEndpointWeightsAndCapacities); the endpoint is Updating until they serve. A variant that
// autoscales is kept within its bounds by Application Auto Scaling, so the count must be within them.
import * as vscode from 'vscode';
import { describeVariantScaling, setInstanceCount as setInstanceCountCall } from '../../pipeline/autoscaling';
import { pickVariant } from '../../pickers/pickVariant';
import { VariantTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

export async function setInstanceCount(workbench: Pick<Workbench, 'connection' | 'endpoints'>, node?: VariantTreeItem, count?: number): Promise<number | undefined> {
  const target = node
    ? { endpointName: node.endpointName, variantName: node.variant.name, current: node.variant.desiredInstanceCount }
    : await pickVariant(workbench, { title: 'Set Instance Count' });
  if (!target) return undefined;
  const where = `${target.endpointName} / ${target.variantName}`;
  const scaling = await describeVariantScaling(await workbench.connection.clients.autoscaling(), target.endpointName, target.variantName);
  const [minimum, maximum] = scaling ? [scaling.minInstances, scaling.maxInstances] : [1, Infinity];
  const problem = (value: number) =>
    !Number.isInteger(value) || value < minimum || value > maximum
      ? scaling
        ? `${where} autoscales between ${minimum} and ${maximum} instances: a count outside is undone (Configure Autoscaling changes the bounds).`
        : 'A whole number of instances, 1 or more.'
      : undefined;
  const instances =
    count ??
    (await vscode.window
      .showInputBox({
        title: `Set Instance Count: ${where}`,
        prompt: scaling ? `Instances, ${minimum}–${maximum} (it autoscales within these)` : 'Instances',
        value: String('current' in target && target.current !== undefined ? target.current : minimum),
        validateInput: (input) => (input.trim() === '' || !Number.isFinite(Number(input)) ? 'A number.' : problem(Number(input))),
      })
      .then((text) => (text === undefined ? undefined : Number(text))));
  if (instances === undefined) return undefined;
  const refusal = problem(instances);
  if (refusal) throw new Error(refusal);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Setting ${where} to ${instances} instances` }, async () =>
    setInstanceCountCall(await workbench.connection.clients.sageMaker(), target.endpointName, target.variantName, instances),
  );
  workbench.endpoints.refresh();
  return instances;
}
