// From the palette, or from an endpoint's node: one production variant of an endpoint (the only one
// is taken without asking).
import * as vscode from 'vscode';
import { listVariants } from '../pipeline/endpoints';
import type { Workbench } from '../workbench';
import { pickEndpoint } from '../commands/pickEndpoint';

export interface VariantRef {
  endpointName: string;
  variantName: string;
}

export async function pickVariant(workbench: Pick<Workbench, 'connection'>, options: { title: string; endpointName?: string }): Promise<VariantRef | undefined> {
  const endpointName = options.endpointName ?? (await pickEndpoint(workbench.connection, { title: options.title, status: 'InService' }))?.name;
  if (!endpointName) return undefined;
  const variants = await listVariants(await workbench.connection.clients.sageMaker(), endpointName);
  if (variants.length === 1) return { endpointName, variantName: variants[0].name };
  const picked = await vscode.window.showQuickPick(
    variants.map((variant) => ({ label: variant.name, description: [variant.modelName, variant.instanceType].filter(Boolean).join(' · '), variant })),
    { title: options.title, placeHolder: `Production variant of ${endpointName}` },
  );
  return picked && { endpointName, variantName: picked.variant.name };
}
