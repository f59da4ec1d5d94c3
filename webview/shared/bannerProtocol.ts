// The messages every panel shares for its failure banner: the host says the connection is down (why,
// and the next steps) or back; the panel sends the step whose button was clicked. Plain data; the
// panels' protocol modules include these in their own unions.
import { isNextStep, type NextStep } from '../../src/failures/nextSteps';

/** What a banner shows: the same title, message and steps as the views' error node (a classified Failure fits). */
export interface BannerFailure {
  title: string;
  message: string;
  steps: NextStep[];
}

/** Host → panel: shows the banner, or clears it when `failure` is absent. */
export interface BannerMessage {
  type: 'banner';
  failure?: BannerFailure;
}

/** Panel → host: a banner button was clicked. */
export interface StepMessage {
  type: 'step';
  step: NextStep;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isBannerMessage(value: unknown): value is BannerMessage {
  if (!isRecord(value) || value.type !== 'banner') return false;
  const failure = value.failure;
  return (
    failure === undefined ||
    (isRecord(failure) && typeof failure.title === 'string' && typeof failure.message === 'string' && Array.isArray(failure.steps) && failure.steps.every(isNextStep))
  );
}

export function isStepMessage(value: unknown): value is StepMessage {
  return isRecord(value) && value.type === 'step' && isNextStep(value.step);
}
