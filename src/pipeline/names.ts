// SageMaker's rule for the names of training jobs, models, endpoint configurations and endpoints:
// 1–63 letters, digits and hyphens, starting and ending with a letter or digit; whether a name is
// taken, and the first free one after it.
import { classifyFailure } from '../failures/classify';

export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** What is wrong with `name` as a SageMaker name, or undefined if nothing (for input boxes). */
export function nameProblem(name: string): string | undefined {
  return SAGEMAKER_NAME.test(name) ? undefined : 'Up to 63 letters, digits and hyphens, starting and ending with a letter or digit.';
}

/** `text` made into a valid SageMaker name (letters, digits, single hyphens, 63 at most). */
export function validName(text: string): string {
  const name = text.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return name || 'model-endpoint';
}

/** `name` if it is free, else the first free of `name-2`, `name-3`, … (within 63 characters). */
export async function freeName(name: string, isTaken: (candidate: string) => Promise<boolean>, maxTries = 50): Promise<string> {
  if (!(await isTaken(name))) return name;
  const match = /^(.*)-(\d+)$/.exec(name);
  const base = match ? match[1] : name;
  for (let suffix = match ? Number(match[2]) + 1 : 2, tries = 0; tries < maxTries; suffix++, tries++) {
    const candidate = `${base.slice(0, 63 - `-${suffix}`.length).replace(/-+$/, '')}-${suffix}`;
    if (!(await isTaken(candidate))) return candidate;
  }
  return `${base.slice(0, 50)}-${Date.now().toString(36)}`;
}

/** Whether a Describe call finds its resource: false when the service says it does not exist. */
export async function exists(describe: Promise<unknown>): Promise<boolean> {
  try {
    await describe;
    return true;
  } catch (error) {
    if (classifyFailure(error).kind === 'notFound') return false;
    throw error;
  }
}
