// Application Auto Scaling RegisterScalableTarget: Registers or updates a scalable target, which is the
// resource that you want to scale.
import type { RegisterScalableTargetCommandInput, RegisterScalableTargetCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import { randomBytes } from 'node:crypto';
import { validationError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import type { Change } from '../../store/logFormat';
import { endpoints } from '../sagemaker/hosting/endpointRecords';
import { updatingVariants } from '../sagemaker/hosting/state';
import { putResource } from '../sagemaker/common/resources';
import { recordActivity } from './activities';
import { requireVariant, type Variant } from './sagemakerVariants';
import { findTarget, putTarget, targetIdOf, type TargetRecord } from './targets';

/**
 * Registers a target, or updates the given members of a registered one. When the new bounds exclude
 * the variant's desired instance count, AWS scales it into them at once; so does the emulator, if the
 * endpoint is InService (an endpoint being created or updated is left to finish first).
 */
export async function registerScalableTarget(
  input: RegisterScalableTargetCommandInput,
  context: RequestContext,
): Promise<OperationOutput<RegisterScalableTargetCommandOutput>> {
  const id = targetIdOf(input);
  const variant = requireVariant(context, id);
  const existing = findTarget(context, id);
  if (!existing && (input.MinCapacity === undefined || input.MaxCapacity === undefined)) {
    throw validationError('MinCapacity and MaxCapacity are required to register a new scalable target.');
  }
  const target: TargetRecord = {
    id,
    arn: existing?.arn ?? `arn:aws:application-autoscaling:${context.region}:${context.accountId}:scalable-target/${randomBytes(18).toString('hex')}`,
    minCapacity: input.MinCapacity ?? existing?.minCapacity ?? 0,
    maxCapacity: input.MaxCapacity ?? existing?.maxCapacity ?? 0,
    roleArn:
      input.RoleARN ??
      existing?.roleArn ??
      `arn:aws:iam::${context.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
    suspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false, ...existing?.suspendedState, ...input.SuspendedState },
    tags: existing?.tags ?? input.Tags,
    createdAt: existing?.createdAt ?? context.now().getTime(),
  };
  if (target.minCapacity > target.maxCapacity) throw validationError('Minimum capacity cannot be greater than maximum capacity');
  const scaling = scaleIntoBounds(context, target, variant);
  await context.store.commit([putTarget(context, target), ...scaling]);
  if (scaling.length > 0) context.runtimes.endpoints.changed(variant.endpoint.arn);
  return { ScalableTargetARN: target.arn };
}

function scaleIntoBounds(context: RequestContext, target: TargetRecord, { endpoint, variant }: Variant): Change[] {
  const desired = variant.desiredInstanceCount;
  if (endpoint.status !== 'InService' || desired === undefined) return [];
  const bounded = Math.min(Math.max(desired, target.minCapacity), target.maxCapacity);
  if (bounded === desired) return [];
  const cause = bounded > desired ? `minimum capacity was set to ${target.minCapacity}` : `maximum capacity was set to ${target.maxCapacity}`;
  return [
    putResource(context, endpoints, updatingVariants(endpoint, new Map([[variant.name, { instanceCount: bounded }]]), context.now())),
    recordActivity(
      context,
      target.id,
      `Setting desired instance count to ${bounded}.`,
      cause,
      `Successfully set desired instance count to ${bounded}. Change successfully fulfilled by sagemaker.`,
    ),
  ];
}
