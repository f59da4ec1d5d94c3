// Application Auto Scaling's operation table: operation name → handler, each checked against the SDK's shapes of that name (operations.ts). Operations of the model missing here answer NotImplemented.
import type * as ApplicationAutoScaling from '@aws-sdk/client-application-auto-scaling';
import { operationTable } from '../../operations';
import { deleteScalingPolicy } from './DeleteScalingPolicy';
import { deregisterScalableTarget } from './DeregisterScalableTarget';
import { describeScalableTargets } from './DescribeScalableTargets';
import { describeScalingActivities } from './DescribeScalingActivities';
import { describeScalingPolicies } from './DescribeScalingPolicies';
import { putScalingPolicy } from './PutScalingPolicy';
import { registerScalableTarget } from './RegisterScalableTarget';

export const applicationAutoScalingOperations = operationTable<typeof ApplicationAutoScaling>()({
  DeleteScalingPolicy: deleteScalingPolicy,
  DeregisterScalableTarget: deregisterScalableTarget,
  DescribeScalableTargets: describeScalableTargets,
  DescribeScalingActivities: describeScalingActivities,
  DescribeScalingPolicies: describeScalingPolicies,
  PutScalingPolicy: putScalingPolicy,
  RegisterScalableTarget: registerScalableTarget,
});
