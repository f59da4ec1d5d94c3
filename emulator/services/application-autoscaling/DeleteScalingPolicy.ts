// Application Auto Scaling DeleteScalingPolicy: Deletes the specified scaling policy for an Application Auto
// Scaling scalable target.
import type { DeleteScalingPolicyCommandInput, DeleteScalingPolicyCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { OperationOutput, RequestContext } from '../../operations';
import { policyNotFound } from './errors';
import { findPolicy, removePolicy } from './policies';
import { targetIdOf } from './targets';

export async function deleteScalingPolicy(
  input: DeleteScalingPolicyCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteScalingPolicyCommandOutput>> {
  const target = targetIdOf(input);
  const policy = findPolicy(context, target, input.PolicyName ?? '');
  if (!policy) throw policyNotFound(target, input.PolicyName ?? '');
  await context.store.commit([removePolicy(context, policy)]);
  return {};
}
