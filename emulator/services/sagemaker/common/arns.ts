// SageMaker ARNs: built from a name in the caller's account and region, and taken apart again.
import type { AccountRegion } from '../../../regionalScope';

/** The ARN of a SageMaker resource of the caller's account and region; SageMaker lower-cases names in ARNs. */
export function sagemakerArn(context: AccountRegion, resourceType: string, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${resourceType}/${name.toLowerCase()}`;
}

export interface ParsedArn {
  region: string;
  accountId: string;
  resourceType: string;
  /** What follows the type: a name, or `group/version` for a versioned model package. */
  resourceId: string;
}

const SAGEMAKER_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]*):(\d{12}):([a-z-]+)\/(.+)$/;

export function parseSagemakerArn(arn: string): ParsedArn | undefined {
  const match = SAGEMAKER_ARN.exec(arn);
  return match ? { region: match[1], accountId: match[2], resourceType: match[3], resourceId: match[4] } : undefined;
}
