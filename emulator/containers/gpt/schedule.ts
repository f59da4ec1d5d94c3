// Learning rate: linear warmup from 0 to the peak, then a cosine decay to the minimum at the last step.

export interface LearningRateSchedule {
  peak: number;
  minimum: number;
  warmupSteps: number;
  totalSteps: number;
}

/** The learning rate of update number `step` (1 for the first). */
export function learningRateAt(step: number, schedule: LearningRateSchedule): number {
  const { peak, minimum, warmupSteps, totalSteps } = schedule;
  if (step <= warmupSteps) {
    return (peak * step) / warmupSteps;
  }
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
}
