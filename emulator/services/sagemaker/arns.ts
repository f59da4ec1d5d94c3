import type { RequestContext } from '../../operations';

/** The ARN of a SageMaker resource of the caller's account and region; SageMaker lower-cases names in ARNs. */
export function sagemakerArn(context: RequestContext, resourceType: string, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${resourceType}/${name.toLowerCase()}`;
}
