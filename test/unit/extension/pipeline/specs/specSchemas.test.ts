// The spec files' JSON Schemas as the build generates them from SageMaker's API model.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { cloneTrainingSpec, newTrainingSpec } from '../../../../../src/pipeline/specs/trainingSpecs';
import { REPO_ROOT } from '../../../../../harness/paths';
import { SPOT_GPT_CHOICES } from './specChoices';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  markdownDescription?: string;
  definitions?: Record<string, Schema>;
}

/** The problems `value` has against `schema`: the keywords the generator emits, checked by hand for the test. */
function violations(root: Schema, schema: Schema, value: unknown, at: string): string[] {
  if (schema.$ref) return violations(root, root.definitions![schema.$ref.replace('#/definitions/', '')], value, at);
  const problems: string[] = [];
  if (schema.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
    for (const member of schema.required ?? []) if (!(member in value)) problems.push(`${at}.${member}: missing`);
    for (const [member, memberValue] of Object.entries(value)) {
      const memberSchema = schema.properties?.[member] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (!memberSchema) problems.push(`${at}.${member}: not a member`);
      else problems.push(...violations(root, memberSchema, memberValue, `${at}.${member}`));
    }
  } else if (schema.type === 'array') {
    if (!Array.isArray(value)) return [`${at}: not an array`];
    value.forEach((item, index) => problems.push(...violations(root, schema.items!, item, `${at}[${index}]`)));
  } else if (schema.type === 'string') {
    if (typeof value !== 'string') return [`${at}: not a string`];
    if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: not one of the enum`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
  } else if (schema.type === 'integer') {
    if (!Number.isInteger(value)) return [`${at}: not an integer`];
    if (schema.minimum !== undefined && (value as number) < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
  } else if (schema.type === 'boolean' && typeof value !== 'boolean') {
    problems.push(`${at}: not a boolean`);
  }
  return problems;
}

describe('spec schemas generated from the SageMaker API model', () => {
  let training: Schema;
  let processing: Schema;

  before(() => {
    const out = mkdtempSync(path.join(tmpdir(), 'spec-schemas-'));
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'generateSpecSchemas.mjs'), out]);
    training = JSON.parse(readFileSync(path.join(out, 'training-job.schema.json'), 'utf8')) as Schema;
    processing = JSON.parse(readFileSync(path.join(out, 'processing-job.schema.json'), 'utf8')) as Schema;
    // The transform schema is the serve lane's; it must be there for its spec files.
    JSON.parse(readFileSync(path.join(out, 'transform-job.schema.json'), 'utf8'));
  });

  it('is the request: its required members, no others, the API\'s documentation', () => {
    assert.deepEqual(training.required, ['TrainingJobName', 'RoleArn', 'OutputDataConfig']);
    assert.equal(training.additionalProperties, false);
    assert.ok(training.properties!.$schema, 'a spec may name its schema');
    assert.match(training.properties!.TrainingJobName.markdownDescription!, /must be unique within an Amazon Web Services Region/);
    assert.deepEqual(processing.required, ['ProcessingJobName', 'ProcessingResources', 'AppSpecification', 'RoleArn']);
  });

  it('carries the model\'s constraints: name pattern and length, instance type enum, HTML docs as markdown', () => {
    const name = training.properties!.TrainingJobName;
    assert.equal(name.maxLength, 63);
    assert.ok(new RegExp(name.pattern!, 'u').test('gpt-2'));
    assert.ok(!new RegExp(name.pattern!, 'u').test('gpt_2'));
    const resource = training.definitions!.ResourceConfig;
    assert.ok(resource.properties!.InstanceType.enum!.includes('ml.g5.12xlarge'));
    assert.match(training.properties!.HyperParameters.markdownDescription!, /\[Algorithms\]\(https:\/\/docs\.aws\.amazon\.com\/sagemaker\/latest\/dg\/algos\.html\)/);
    assert.doesNotMatch(JSON.stringify(training), /<p>|<code>/);
  });

  it('accepts the specs the extension writes, and refuses what SageMaker refuses', () => {
    const spec = newTrainingSpec(SPOT_GPT_CHOICES);
    assert.deepEqual(violations(training, training, spec, ''), []);
    const cloned = cloneTrainingSpec({ ...spec, TrainingJobArn: 'arn', TrainingJobStatus: 'Completed', SecondaryStatus: 'Completed', CreationTime: new Date(), ModelArtifacts: { S3ModelArtifacts: 's3://bkt/m' }, StoppingCondition: spec.StoppingCondition! }, 'gpt-b');
    assert.deepEqual(violations(training, training, cloned, ''), []);
    assert.deepEqual(violations(training, training, { ...spec, TrainingJobName: 'gpt_a', HyperParameters: { steps: 300 }, Extra: 1 }, ''), [
      '.TrainingJobName: does not match ^(?:[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$',
      '.HyperParameters.steps: not a string',
      '.Extra: not a member',
    ]);
    // The name at its limit (63 characters) and one past it.
    assert.deepEqual(violations(training, training, { ...spec, TrainingJobName: 'a'.repeat(63) }, ''), []);
    assert.deepEqual(violations(training, training, { ...spec, TrainingJobName: 'a'.repeat(64) }, '').map((problem) => problem.split(':')[0]), ['.TrainingJobName']);
    // MaxRuntimeInSeconds at its minimum (1) and one below it (InstanceCount's minimum is 0 in the model: heterogeneous clusters).
    assert.deepEqual(violations(training, training, { ...spec, StoppingCondition: { ...spec.StoppingCondition, MaxRuntimeInSeconds: 1 } }, ''), []);
    assert.deepEqual(violations(training, training, { ...spec, StoppingCondition: { ...spec.StoppingCondition, MaxRuntimeInSeconds: 0 } }, ''), ['.StoppingCondition.MaxRuntimeInSeconds: below 1']);
  });
});
