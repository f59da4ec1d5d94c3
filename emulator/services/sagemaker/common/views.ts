// Small conversions the Describe and List views of every resource share.

/** Records keep epoch milliseconds; the SDK's outputs have Dates. */
export function optionalDate(epochMilliseconds: number | undefined): Date | undefined {
  return epochMilliseconds === undefined ? undefined : new Date(epochMilliseconds);
}
