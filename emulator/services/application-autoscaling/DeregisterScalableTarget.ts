// Application Auto Scaling DeregisterScalableTarget: Deregisters an Application Auto Scaling scalable target
// when you have finished using it.
import type { DeregisterScalableTargetCommandInput, DeregisterScalableTargetCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { OperationOutput, RequestContext } from '../../operations';
import { targetNotFound } from './errors';
import { policiesOf, removePolicy } from './policies';
import { findTarget, removeTarget, targetIdOf } from './targets';

/** The target's scaling policies go with it. */
export async function deregisterScalableTarget(
  input: DeregisterScalableTargetCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeregisterScalableTargetCommandOutput>> {
  const id = targetIdOf(input);
  const target = findTarget(context, id);
  if (!target) throw targetNotFound(id);
  await context.store.commit([...policiesOf(context, id).map((policy) => removePolicy(context, policy)), removeTarget(context, target)]);
  return {};
}
