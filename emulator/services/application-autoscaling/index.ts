// Application Auto Scaling's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { deleteScalingPolicy } from './DeleteScalingPolicy';
import { deregisterScalableTarget } from './DeregisterScalableTarget';
import { describeScalableTargets } from './DescribeScalableTargets';
import { describeScalingActivities } from './DescribeScalingActivities';
import { describeScalingPolicies } from './DescribeScalingPolicies';
import { putScalingPolicy } from './PutScalingPolicy';
import { registerScalableTarget } from './RegisterScalableTarget';

export const applicationAutoScalingOperations: OperationTable = {
  DeleteScalingPolicy: deleteScalingPolicy,
  DeregisterScalableTarget: deregisterScalableTarget,
  DescribeScalableTargets: describeScalableTargets,
  DescribeScalingActivities: describeScalingActivities,
  DescribeScalingPolicies: describeScalingPolicies,
  PutScalingPolicy: putScalingPolicy,
  RegisterScalableTarget: registerScalableTarget,
};
