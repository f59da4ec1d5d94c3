// Scaling activities: what Application Auto Scaling did to a target's capacity, and why. Kept after
// the target is deregistered, as AWS keeps them.
import type { ScalingActivity } from '@aws-sdk/client-application-auto-scaling';
import { randomUUID } from 'node:crypto';
import { type RequestContext } from '../../operations';
import { type RegionalScope, regionalPartition } from '../../regionalScope';
import { defineTable, put } from '../../store/store';
import type { Change } from '../../store/logFormat';
import type { TargetId } from './targets';

export interface ActivityRecord {
  id: string;
  target: TargetId;
  description: string;
  cause: string;
  statusMessage: string;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
}

/** Keyed by activity id. */
const activities = defineTable<ActivityRecord>('applicationAutoScaling.activities');

/** A capacity change made at once (the emulator's scaling is a state change, not a wait for instances). */
export function recordActivity(context: RegionalScope & Pick<RequestContext, 'now'>, target: TargetId, description: string, cause: string, statusMessage: string): Change {
  const time = context.now().getTime();
  const activity: ActivityRecord = { id: randomUUID(), target, description, cause, statusMessage, startedAt: time, endedAt: time };
  return put(activities, regionalPartition(context), activity.id, activity);
}

export function allActivities(context: RegionalScope): ActivityRecord[] {
  return context.store.entries(activities, regionalPartition(context)).map(([, activity]) => activity);
}

export function describeActivity(activity: ActivityRecord): ScalingActivity {
  return {
    ActivityId: activity.id,
    ...activity.target,
    Description: activity.description,
    Cause: activity.cause,
    StartTime: new Date(activity.startedAt),
    EndTime: new Date(activity.endedAt),
    StatusCode: 'Successful',
    StatusMessage: activity.statusMessage,
  };
}
