// SageMaker's rule for the names of training jobs, models, endpoint configurations and endpoints:
// 1–63 letters, digits and hyphens, starting and ending with a letter or digit.

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
