// Where logs live in the store. Groups are regional; a group's streams and a stream's events have
// partitions of their own, so that reading one stream never touches the others.
import { type RegionalScope, regionalPartition } from '../../regionalScope';

/** Log groups live in their account and region's partition; a group's streams and a stream's events in their own. */
export function groupPartition(scope: RegionalScope): string {
  return regionalPartition(scope);
}

/** Group and stream names cannot contain `:`, so these partitions never collide. */
export function streamPartition(scope: RegionalScope, groupName: string): string {
  return `${regionalPartition(scope)}:${groupName}`;
}

export function eventPartition(scope: RegionalScope, groupName: string, streamName: string): string {
  return `${streamPartition(scope, groupName)}:${streamName}`;
}
