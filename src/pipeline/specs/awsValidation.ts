// AWS's own validation errors, put back on the spec's lines. SageMaker words them
//   2 validation errors detected: Value '0' at 'resourceConfig.instanceCount' failed to satisfy
//   constraint: Member must have value greater than or equal to 1; Value null at 'roleArn' …
// with member names in lower camel case and list elements as `inputDataConfig.1.member` (1-based).
// Pure, unit-tested.
import type { SpecPath } from './specDocument';
import type { SpecProblem } from './specRules';

const VIOLATION = /Value (.*?) at '([^']+)' failed to satisfy constraint: (.*?)(?=; Value .*? at '|$)/gs;

/**
 * The problems an AWS error names, each at its member in `spec`; a message naming no member becomes
 * one problem at the root. Returns undefined for errors that are not about the request's content.
 */
export function problemsFromAwsError(error: unknown, spec: unknown): SpecProblem[] | undefined {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (name !== 'ValidationException' || !message) return undefined;
  const problems = [...message.matchAll(VIOLATION)].map(([, value, path, constraint]) => {
    const specPath = specPathOf(path, spec);
    return {
      path: specPath,
      severity: 'error' as const,
      message: `SageMaker: ${constraint.trim()}${value === 'null' ? '' : ` (value ${value})`}`,
    };
  });
  return problems.length > 0 ? problems : [{ path: [], severity: 'error', message: `SageMaker: ${message}` }];
}

/**
 * `inputDataConfig.1.member.channelName` → ['InputDataConfig', 0, 'ChannelName'], matching each
 * segment to the spec's own member name (AWS lowers only the first letter).
 */
export function specPathOf(awsPath: string, spec: unknown): SpecPath {
  const segments = awsPath.split('.');
  const path: (string | number)[] = [];
  let value: unknown = spec;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (/^\d+$/.test(segment) && segments[index + 1] === 'member') {
      path.push(Number(segment) - 1);
      value = Array.isArray(value) ? value[Number(segment) - 1] : undefined;
      index++;
      continue;
    }
    const member =
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.keys(value).find((key) => key.toLowerCase() === segment.toLowerCase())
        : undefined;
    const name = member ?? segment.charAt(0).toUpperCase() + segment.slice(1);
    path.push(name);
    value = member ? (value as Record<string, unknown>)[member] : undefined;
  }
  return path;
}
