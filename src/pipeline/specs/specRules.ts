// What a spec's JSON Schema cannot say, checked on the parsed value: rules SageMaker documents
// across members (managed spot needs MaxWaitTimeInSeconds ≥ MaxRuntimeInSeconds), where the schema's
// pattern is wider than what works (an `https://` channel URI matches the model's `(https|s3)://`),
// and the mistakes that otherwise surface only once the job runs. Pure, unit-tested.
import type { SpecPath } from './specDocument';
import { SPEC_KINDS, type SpecKind } from './specKinds';

export type Severity = 'error' | 'warning' | 'information';

export interface SpecProblem {
  path: SpecPath;
  message: string;
  severity: Severity;
  /** Put the squiggle on the member's name rather than its value (e.g. a member that should not be there). */
  onKey?: boolean;
}

export interface RuleOptions {
  /**
   * Whether the editor checks the schema itself (JSON always; YAML with the YAML extension). When it
   * does not, the type mistakes YAML invites (an unquoted `300` where SageMaker wants a string) are
   * reported here.
   */
  schemaCheckedByEditor: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, member: string): Json | undefined => (isObject(value) && isObject(value[member]) ? value[member] : undefined);
const listAt = (value: unknown, member: string): unknown[] => (isObject(value) && Array.isArray(value[member]) ? value[member] : []);

export function specProblems(kind: SpecKind, value: unknown, options: RuleOptions): SpecProblem[] {
  if (!isObject(value)) {
    return [{ path: [], message: `A spec is one ${SPEC_KINDS[kind].operation} request: an object with its members.`, severity: 'error' }];
  }
  if (kind === 'training') return trainingProblems(value, options);
  return kind === 'processing' ? processingProblems(value, options) : transformProblems(value, options);
}

/** SageMaker reads and writes S3 through `s3://bucket/prefix` URIs; the model's pattern also lets `https://` through. */
function s3UriProblem(uri: unknown, path: SpecPath, what: string): SpecProblem[] {
  if (typeof uri !== 'string') return [];
  const match = /^s3:\/\/([^/]+)(\/.*)?$/.exec(uri);
  if (!match) {
    return [{ path, severity: 'error', message: `${what} must be an S3 URI, s3://bucket/prefix${uri.startsWith('https://') ? ' (not an https:// URL)' : ''}.` }];
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1])) {
    return [{ path, severity: 'error', message: `"${match[1]}" is not an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens.` }];
  }
  return [];
}

function duplicateNames(items: unknown[], member: string, listPath: SpecPath, what: string): SpecProblem[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const name = isObject(item) ? item[member] : undefined;
    if (typeof name !== 'string') return [];
    if (seen.has(name)) return [{ path: [...listPath, index, member], severity: 'error' as const, message: `Another ${what} is already named "${name}": names must be unique.` }];
    seen.add(name);
    return [];
  });
}

/** Maps whose values SageMaker takes as strings only; YAML reads `steps: 300` as a number. */
function stringValues(map: Json | undefined, path: SpecPath, what: string): SpecProblem[] {
  return Object.entries(map ?? {}).flatMap(([key, value]) =>
    typeof value === 'string'
      ? []
      : [{ path: [...path, key], severity: 'error' as const, message: `${what} values are strings: write ${JSON.stringify(String(value))} (quoted).` }],
  );
}

function trainingProblems(spec: Json, options: RuleOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const algorithm = objectAt(spec, 'AlgorithmSpecification');
  if (!algorithm) {
    problems.push({ path: [], severity: 'error', message: 'AlgorithmSpecification is missing: SageMaker needs the training image (TrainingImage) or algorithm (AlgorithmName) to run.' });
  } else if ((algorithm.TrainingImage === undefined) === (algorithm.AlgorithmName === undefined)) {
    problems.push({
      path: ['AlgorithmSpecification'],
      severity: 'error',
      message: algorithm.TrainingImage === undefined ? 'Name the training image (TrainingImage) or an algorithm (AlgorithmName).' : 'Give TrainingImage or AlgorithmName, not both.',
    });
  }
  if (!objectAt(spec, 'ResourceConfig')) {
    problems.push({ path: [], severity: 'error', message: 'ResourceConfig is missing: the instance type and count to train on.' });
  }

  const channels = listAt(spec, 'InputDataConfig');
  channels.forEach((channel, index) => {
    const uri = objectAt(objectAt(channel, 'DataSource'), 'S3DataSource')?.S3Uri;
    problems.push(...s3UriProblem(uri, ['InputDataConfig', index, 'DataSource', 'S3DataSource', 'S3Uri'], 'A channel\'s S3Uri'));
  });
  problems.push(...duplicateNames(channels, 'ChannelName', ['InputDataConfig'], 'channel'));
  problems.push(...s3UriProblem(objectAt(spec, 'OutputDataConfig')?.S3OutputPath, ['OutputDataConfig', 'S3OutputPath'], 'S3OutputPath'));

  const checkpoint = objectAt(spec, 'CheckpointConfig');
  problems.push(...s3UriProblem(checkpoint?.S3Uri, ['CheckpointConfig', 'S3Uri'], 'The checkpoint location'));

  const stopping = objectAt(spec, 'StoppingCondition');
  const maxRuntime = typeof stopping?.MaxRuntimeInSeconds === 'number' ? stopping.MaxRuntimeInSeconds : 86_400;
  const maxWait = stopping?.MaxWaitTimeInSeconds;
  if (spec.EnableManagedSpotTraining === true) {
    if (typeof maxWait !== 'number') {
      problems.push({
        path: stopping ? ['StoppingCondition'] : ['EnableManagedSpotTraining'],
        severity: 'error',
        message: `Managed spot training needs StoppingCondition.MaxWaitTimeInSeconds: how long to wait for spot capacity plus run (at least MaxRuntimeInSeconds, ${maxRuntime}).`,
      });
    } else if (maxWait < maxRuntime) {
      problems.push({ path: ['StoppingCondition', 'MaxWaitTimeInSeconds'], severity: 'error', message: `MaxWaitTimeInSeconds (${maxWait}) must be at least MaxRuntimeInSeconds (${maxRuntime}).` });
    }
    if (!checkpoint) {
      problems.push({
        path: ['EnableManagedSpotTraining'],
        severity: 'warning',
        onKey: true,
        message: 'Without CheckpointConfig, a job whose spot instance is reclaimed starts again from step 0. Add a checkpoint location (s3://…) that the script saves to /opt/ml/checkpoints.',
      });
    }
  } else if (maxWait !== undefined) {
    problems.push({ path: ['StoppingCondition', 'MaxWaitTimeInSeconds'], severity: 'error', onKey: true, message: 'MaxWaitTimeInSeconds is for managed spot training only: set EnableManagedSpotTraining to true, or remove it.' });
  }

  const metricNames = listAt(algorithm, 'MetricDefinitions');
  problems.push(...duplicateNames(metricNames, 'Name', ['AlgorithmSpecification', 'MetricDefinitions'], 'metric'));
  metricNames.forEach((definition, index) => {
    const regex = isObject(definition) ? definition.Regex : undefined;
    if (typeof regex !== 'string') return;
    try {
      new RegExp(regex);
    } catch (error) {
      problems.push({ path: ['AlgorithmSpecification', 'MetricDefinitions', index, 'Regex'], severity: 'error', message: `Not a regular expression: ${(error as Error).message}` });
    }
  });

  if (!options.schemaCheckedByEditor) {
    problems.push(...stringValues(objectAt(spec, 'HyperParameters'), ['HyperParameters'], 'Hyperparameter'));
    problems.push(...stringValues(objectAt(spec, 'Environment'), ['Environment'], 'Environment'));
  }
  return problems;
}

function processingProblems(spec: Json, options: RuleOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const inputs = listAt(spec, 'ProcessingInputs');
  inputs.forEach((input, index) => {
    const s3 = objectAt(input, 'S3Input');
    if (!s3) return;
    problems.push(...s3UriProblem(s3.S3Uri, ['ProcessingInputs', index, 'S3Input', 'S3Uri'], 'An input\'s S3Uri'));
    problems.push(...localPathProblem(s3.LocalPath, ['ProcessingInputs', index, 'S3Input', 'LocalPath'], input));
  });
  problems.push(...duplicateNames(inputs, 'InputName', ['ProcessingInputs'], 'input'));
  const outputs = listAt(objectAt(spec, 'ProcessingOutputConfig'), 'Outputs');
  outputs.forEach((output, index) => {
    const s3 = objectAt(output, 'S3Output');
    if (!s3) return;
    const path = ['ProcessingOutputConfig', 'Outputs', index, 'S3Output'];
    problems.push(...s3UriProblem(s3.S3Uri, [...path, 'S3Uri'], 'An output\'s S3Uri'));
    problems.push(...localPathProblem(s3.LocalPath, [...path, 'LocalPath'], output));
  });
  problems.push(...duplicateNames(outputs, 'OutputName', ['ProcessingOutputConfig', 'Outputs'], 'output'));
  if (!options.schemaCheckedByEditor) {
    problems.push(...stringValues(objectAt(spec, 'Environment'), ['Environment'], 'Environment'));
  }
  return problems;
}

/** SageMaker's default MaxPayloadInMB, and the most a transform's requests in flight may carry together. */
const DEFAULT_MAX_PAYLOAD_MB = 6;
const MAX_PAYLOAD_IN_FLIGHT_MB = 100;

/**
 * CreateTransformJob's documented rules across members: (MaxConcurrentTransforms × MaxPayloadInMB)
 * cannot exceed 100 MB; a BatchStrategy needs records to split (SplitType Line, RecordIO or TFRecord).
 */
function transformProblems(spec: Json, options: RuleOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const input = objectAt(spec, 'TransformInput');
  problems.push(...s3UriProblem(objectAt(objectAt(input, 'DataSource'), 'S3DataSource')?.S3Uri, ['TransformInput', 'DataSource', 'S3DataSource', 'S3Uri'], 'The input\'s S3Uri'));
  problems.push(...s3UriProblem(objectAt(spec, 'TransformOutput')?.S3OutputPath, ['TransformOutput', 'S3OutputPath'], 'S3OutputPath'));
  const concurrent = spec.MaxConcurrentTransforms;
  const payload = spec.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_MB;
  if (typeof concurrent === 'number' && concurrent > 0 && typeof payload === 'number' && concurrent * payload > MAX_PAYLOAD_IN_FLIGHT_MB) {
    problems.push({
      path: ['MaxConcurrentTransforms'],
      severity: 'error',
      message: `MaxConcurrentTransforms × MaxPayloadInMB is ${concurrent} × ${payload} MB${spec.MaxPayloadInMB === undefined ? ' (the default)' : ''} = ${concurrent * payload} MB; SageMaker allows at most ${MAX_PAYLOAD_IN_FLIGHT_MB} MB: at most ${Math.floor(MAX_PAYLOAD_IN_FLIGHT_MB / payload)} transforms at once with this payload.`,
    });
  }
  const splitType = input?.SplitType;
  if (spec.BatchStrategy !== undefined && (splitType === undefined || splitType === 'None')) {
    problems.push({ path: ['BatchStrategy'], severity: 'error', message: `BatchStrategy ${String(spec.BatchStrategy)} needs records to batch: set TransformInput.SplitType to Line (or RecordIO, TFRecord).` });
  }
  if (!options.schemaCheckedByEditor) {
    problems.push(...stringValues(objectAt(spec, 'Environment'), ['Environment'], 'Environment'));
  }
  return problems;
}

/** Processing inputs and outputs live under /opt/ml/processing/ in the container (unless the app manages them). */
function localPathProblem(localPath: unknown, path: SpecPath, owner: unknown): SpecProblem[] {
  if (isObject(owner) && owner.AppManaged === true) return [];
  if (localPath === undefined) {
    return [{ path: path.slice(0, -1), severity: 'error', message: 'LocalPath is missing: where in the container (under /opt/ml/processing/) the data goes.' }];
  }
  if (typeof localPath === 'string' && !/^\/opt\/ml\/processing\/./.test(localPath)) {
    return [{ path, severity: 'error', message: `LocalPath must be a folder under /opt/ml/processing/, e.g. /opt/ml/processing/${localPath.split('/').filter(Boolean).pop() ?? 'input'}.` }];
  }
  return [];
}
