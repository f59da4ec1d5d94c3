// The kinds of job spec file: a file's content is one Create*Job request, its kind is in its name
// (`gpt.training.yaml`, `tokenize.processing.json`, `score.transform.yaml`). One table, read by the diagnostics, the CodeLens,
// launching and package.json's schema associations (scripts/generateSpecSchemas.mjs writes the schemas).

export interface SpecKindInfo {
  /** The middle of the file name: `<name>.<suffix>.json|yaml|yml`. */
  suffix: string;
  /** The SageMaker operation the content is the request of. */
  operation: 'CreateTrainingJob' | 'CreateProcessingJob' | 'CreateTransformJob';
  /** The request member that names the job (unique per account and region). */
  nameMember: 'TrainingJobName' | 'ProcessingJobName' | 'TransformJobName';
  /** For messages: "training job". */
  noun: string;
  /** dist/schemas/<schema>.schema.json */
  schema: string;
}

export const SPEC_KINDS = {
  training: { suffix: 'training', operation: 'CreateTrainingJob', nameMember: 'TrainingJobName', noun: 'training job', schema: 'training-job' },
  processing: { suffix: 'processing', operation: 'CreateProcessingJob', nameMember: 'ProcessingJobName', noun: 'processing job', schema: 'processing-job' },
  transform: { suffix: 'transform', operation: 'CreateTransformJob', nameMember: 'TransformJobName', noun: 'batch transform job', schema: 'transform-job' },
} as const satisfies Record<string, SpecKindInfo>;

export type SpecKind = keyof typeof SPEC_KINDS;

const SPEC_FILE = /\.(training|processing|transform)\.(json|ya?ml)$/i;

/** The kind of spec a file is, by its name, or undefined if it is none. */
export function specKindOf(fileName: string): SpecKind | undefined {
  const match = SPEC_FILE.exec(fileName);
  return match ? (match[1].toLowerCase() as SpecKind) : undefined;
}

/** Glob patterns of every spec file, for document selectors and file watchers. */
export const SPEC_FILE_GLOB = '**/*.{training,processing,transform}.{json,yaml,yml}';
