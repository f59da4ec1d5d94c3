// Unit tests of spec files.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemsFromAwsError, specPathOf } from '../../../../../src/pipeline/specs/awsValidation';
import { parseSpec, type ParsedSpec, type SpecPath } from '../../../../../src/pipeline/specs/specDocument';
import { specKindOf } from '../../../../../src/pipeline/specs/specKinds';
import { specProblems } from '../../../../../src/pipeline/specs/specRules';
import { cloneTrainingSpec, newTrainingSpec, specText } from '../../../../../src/pipeline/specs/trainingSpecs';
import type { TrainingJobDescription } from '../../../../../src/pipeline/trainingJobs';
import { SPOT_GPT_CHOICES } from './specChoices';

/** The 1-based line a path's value starts on. */
function lineOf(spec: ParsedSpec, text: string, path: SpecPath, onKey = false): number {
  const located = spec.locate(path);
  const offset = onKey && located.key ? located.key.start : located.value.start;
  return text.slice(0, offset).split('\n').length;
}

const YAML_SPEC = `TrainingJobName: gpt-small
AlgorithmSpecification:
  TrainingImage: sagemaker-emulator/builtin-gpt:latest
  TrainingInputMode: File
RoleArn: arn:aws:iam::000000000000:role/SageMakerRole
HyperParameters:
  steps: 300
  layers: "2"
InputDataConfig:
  - ChannelName: train
    DataSource:
      S3DataSource:
        S3DataType: S3Prefix
        S3Uri: s3://data/train/
  - ChannelName: validation
    DataSource:
      S3DataSource:
        S3DataType: S3Prefix
        S3Uri: https://data.s3.amazonaws.com/validation/
OutputDataConfig:
  S3OutputPath: s3://data/models/
ResourceConfig:
  InstanceType: ml.m5.xlarge
  InstanceCount: 2
  VolumeSizeInGB: 10
EnableManagedSpotTraining: true
StoppingCondition:
  MaxRuntimeInSeconds: 3600
  MaxWaitTimeInSeconds: 1800
`;

const JSON_SPEC = `{
  // comments are allowed, as in VS Code's settings
  "TrainingJobName": "gpt-small",
  "AlgorithmSpecification": { "TrainingImage": "img", "TrainingInputMode": "File" },
  "RoleArn": "arn:aws:iam::000000000000:role/r",
  "InputDataConfig": [
    { "ChannelName": "train", "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri": "s3://data/train/" } } },
    { "ChannelName": "train", "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri": "s3://data/more/" } } }
  ],
  "OutputDataConfig": { "S3OutputPath": "s3://data/models/" },
  "ResourceConfig": { "InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10 },
  "StoppingCondition": { "MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200 }
}
`;

describe('spec files', () => {
  it('are recognised by name: <name>.training|processing|transform.json|yaml|yml', () => {
    assert.equal(specKindOf('/w/gpt.training.yaml'), 'training');
    assert.equal(specKindOf('gpt.training.yml'), 'training');
    assert.equal(specKindOf('C:\\w\\Tok.Processing.JSON'), 'processing');
    assert.equal(specKindOf('training.json'), undefined);
    assert.equal(specKindOf('gpt.training.json.bak'), undefined);
    assert.equal(specKindOf('score.transform.json'), 'transform');
    assert.equal(specKindOf('score.transform.yml'), 'transform');
    assert.equal(specKindOf('score.transformer.json'), undefined);
  });

  it('locates every value of a YAML spec on its own line, and a missing member on its nearest parent', () => {
    const spec = parseSpec(YAML_SPEC, 'yaml');
    assert.deepEqual(spec.syntaxErrors, []);
    assert.equal(lineOf(spec, YAML_SPEC, ['TrainingJobName']), 1);
    assert.equal(lineOf(spec, YAML_SPEC, ['HyperParameters', 'steps']), 7);
    assert.equal(lineOf(spec, YAML_SPEC, ['InputDataConfig', 1, 'DataSource', 'S3DataSource', 'S3Uri']), 19);
    assert.equal(lineOf(spec, YAML_SPEC, ['StoppingCondition', 'MaxWaitTimeInSeconds'], true), 29);
    const missing = spec.locate(['ResourceConfig', 'KeepAlivePeriodInSeconds']);
    assert.equal(missing.exact, false);
    assert.equal(YAML_SPEC.slice(0, missing.value.start).split('\n').length, 23, 'the object that lacks the member');
  });

  it('locates values of a JSON spec with comments, and reports a syntax error where it is', () => {
    const spec = parseSpec(JSON_SPEC, 'json');
    assert.deepEqual(spec.syntaxErrors, []);
    assert.equal(lineOf(spec, JSON_SPEC, ['InputDataConfig', 1, 'ChannelName']), 8);
    assert.equal(lineOf(spec, JSON_SPEC, ['ResourceConfig', 'InstanceCount'], true), 11);
    const broken = '{\n  "TrainingJobName": "x",\n  "RoleArn" "r"\n}';
    const parsed = parseSpec(broken, 'json');
    assert.ok(parsed.syntaxErrors.length > 0);
    assert.equal(broken.slice(0, parsed.syntaxErrors[0].range.start).split('\n').length, 3);
    assert.match(parsed.syntaxErrors[0].message, /^JSON: colon expected/);
  });

  it('reports YAML syntax errors at their line, and duplicate keys', () => {
    const text = 'TrainingJobName: a\nRoleArn: r\nRoleArn: s\n';
    const spec = parseSpec(text, 'yaml');
    assert.equal(spec.syntaxErrors.length, 1);
    assert.equal(text.slice(0, spec.syntaxErrors[0].range.start).split('\n').length, 3);
  });
});

describe('spec rules beyond the schema', () => {
  it('finds what the schema cannot express in a training spec, each at its member', () => {
    const spec = parseSpec(YAML_SPEC, 'yaml');
    const problems = specProblems('training', spec.value, { schemaCheckedByEditor: false });
    const found = problems.map((problem) => [problem.path.join('.'), problem.severity, lineOf(spec, YAML_SPEC, problem.path, problem.onKey)]);
    assert.deepEqual(found, [
      ['InputDataConfig.1.DataSource.S3DataSource.S3Uri', 'error', 19],
      ['StoppingCondition.MaxWaitTimeInSeconds', 'error', 29],
      ['EnableManagedSpotTraining', 'warning', 26],
      ['HyperParameters.steps', 'error', 7],
    ]);
    assert.match(problems[0].message, /s3:\/\/bucket\/prefix \(not an https:\/\/ URL\)/);
    assert.match(problems[1].message, /MaxWaitTimeInSeconds \(1800\) must be at least MaxRuntimeInSeconds \(3600\)/);
    assert.match(problems[3].message, /write "300" \(quoted\)/);
  });

  it('leaves type mistakes to the editor when it checks the schema itself', () => {
    const problems = specProblems('training', parseSpec(YAML_SPEC, 'yaml').value, { schemaCheckedByEditor: true });
    assert.equal(problems.filter((problem) => problem.path[0] === 'HyperParameters').length, 0);
  });

  it('spot at the edge: MaxWait equal to MaxRuntime is fine, one second less is not; MaxWait without spot is refused', () => {
    const spec = (spot: boolean, maxWait?: number) => ({
      AlgorithmSpecification: { TrainingImage: 'i', TrainingInputMode: 'File' },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 1 },
      CheckpointConfig: { S3Uri: 's3://bkt/c/' },
      EnableManagedSpotTraining: spot,
      StoppingCondition: { MaxRuntimeInSeconds: 3600, ...(maxWait === undefined ? {} : { MaxWaitTimeInSeconds: maxWait }) },
    });
    const messages = (value: object) => specProblems('training', value, { schemaCheckedByEditor: true }).map((problem) => problem.message);
    assert.deepEqual(messages(spec(true, 3600)), []);
    assert.equal(messages(spec(true, 3599)).length, 1);
    assert.match(messages(spec(true))[0], /needs StoppingCondition\.MaxWaitTimeInSeconds/);
    assert.match(messages(spec(false, 3600))[0], /for managed spot training only/);
  });

  it('finds duplicate channel names and neither image nor algorithm', () => {
    const value = parseSpec(JSON_SPEC, 'json').value as Record<string, unknown>;
    const problems = specProblems('training', value, { schemaCheckedByEditor: true });
    assert.deepEqual(problems.map((problem) => problem.path.join('.')), ['InputDataConfig.1.ChannelName', 'StoppingCondition.MaxWaitTimeInSeconds']);
    const noImage = specProblems('training', { ...value, AlgorithmSpecification: { TrainingInputMode: 'File' }, StoppingCondition: undefined, InputDataConfig: [] }, { schemaCheckedByEditor: true });
    assert.deepEqual(noImage.map((problem) => problem.message), ['Name the training image (TrainingImage) or an algorithm (AlgorithmName).']);
  });

  it('checks a processing spec\'s S3 URIs, local paths under /opt/ml/processing/ and unique names', () => {
    const value = {
      ProcessingJobName: 'tok',
      ProcessingInputs: [
        { InputName: 'raw', S3Input: { S3Uri: 's3://data/raw/', LocalPath: '/opt/ml/processing/raw', S3DataType: 'S3Prefix' } },
        { InputName: 'raw', S3Input: { S3Uri: 'data/code/', LocalPath: '/tmp/code', S3DataType: 'S3Prefix' } },
      ],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'tokens', S3Output: { S3Uri: 's3://Data_Bucket/tokens/', S3UploadMode: 'EndOfJob' } }] },
    };
    const problems = specProblems('processing', value, { schemaCheckedByEditor: true });
    assert.deepEqual(problems.map((problem) => problem.path.join('.')), [
      'ProcessingInputs.1.S3Input.S3Uri',
      'ProcessingInputs.1.S3Input.LocalPath',
      'ProcessingInputs.1.InputName',
      'ProcessingOutputConfig.Outputs.0.S3Output.S3Uri',
      'ProcessingOutputConfig.Outputs.0.S3Output',
    ]);
    assert.match(problems[1].message, /under \/opt\/ml\/processing\/, e\.g\. \/opt\/ml\/processing\/code/);
    assert.match(problems[3].message, /"Data_Bucket" is not an S3 bucket name/);
  });

  it('checks a transform spec: its S3 URIs, MaxConcurrentTransforms × MaxPayloadInMB at 100 MB and one past, a BatchStrategy needing a SplitType', () => {
    const transform = (members: Record<string, unknown>, splitType?: string) => ({
      TransformJobName: 'score',
      ModelName: 'gpt',
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/prompts/' } }, ...(splitType && { SplitType: splitType }) },
      TransformOutput: { S3OutputPath: 's3://data/answers/' },
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
      ...members,
    });
    const paths = (value: unknown) => specProblems('transform', value, { schemaCheckedByEditor: true }).map((problem) => problem.path.join('.'));
    assert.deepEqual(paths(transform({})), []);
    // The payload defaults to 6 MB: 16 transforms carry 96 MB, 17 carry 102.
    assert.deepEqual(paths(transform({ MaxConcurrentTransforms: 16 })), []);
    assert.deepEqual(paths(transform({ MaxConcurrentTransforms: 17 })), ['MaxConcurrentTransforms']);
    assert.deepEqual(paths(transform({ MaxConcurrentTransforms: 4, MaxPayloadInMB: 25 })), []);
    const over = specProblems('transform', transform({ MaxConcurrentTransforms: 101, MaxPayloadInMB: 1 }), { schemaCheckedByEditor: true });
    assert.match(over[0].message, /101 × 1 MB = 101 MB; SageMaker allows at most 100 MB: at most 100 transforms at once/);
    assert.match(specProblems('transform', transform({ MaxConcurrentTransforms: 17 }), { schemaCheckedByEditor: true })[0].message, /17 × 6 MB \(the default\) = 102 MB/);
    assert.deepEqual(paths(transform({ BatchStrategy: 'MultiRecord' })), ['BatchStrategy']);
    assert.deepEqual(paths(transform({ BatchStrategy: 'MultiRecord' }, 'None')), ['BatchStrategy']);
    assert.deepEqual(paths(transform({ BatchStrategy: 'MultiRecord' }, 'Line')), []);
    assert.deepEqual(paths(transform({ TransformOutput: { S3OutputPath: 'https://data.s3.amazonaws.com/answers/' } })), ['TransformOutput.S3OutputPath']);
  });

  it('says what a spec that is not an object should be', () => {
    assert.match(specProblems('training', ['x'], { schemaCheckedByEditor: true })[0].message, /one CreateTrainingJob request: an object/);
    assert.match(specProblems('transform', 'x', { schemaCheckedByEditor: true })[0].message, /one CreateTransformJob request: an object/);
  });
});

describe('AWS validation errors on the spec', () => {
  it('maps each violation SageMaker lists to the member it names (1-based list elements)', () => {
    const spec = parseSpec(JSON_SPEC, 'json');
    const error = Object.assign(new Error(
      "2 validation errors detected: Value '0' at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'a b' at 'inputDataConfig.2.member.channelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+",
    ), { name: 'ValidationException' });
    const problems = problemsFromAwsError(error, spec.value)!;
    assert.deepEqual(problems.map((problem) => problem.path), [['ResourceConfig', 'InstanceCount'], ['InputDataConfig', 1, 'ChannelName']]);
    assert.equal(problems[0].message, "SageMaker: Member must have value greater than or equal to 1 (value '0')");
    assert.equal(lineOf(spec, JSON_SPEC, problems[1].path), 8);
  });

  it('puts a message that names no member at the root, and ignores errors about anything else', () => {
    const other = Object.assign(new Error('Could not access model data'), { name: 'ValidationException' });
    assert.deepEqual(problemsFromAwsError(other, {}), [{ path: [], severity: 'error', message: 'SageMaker: Could not access model data' }]);
    assert.equal(problemsFromAwsError(Object.assign(new Error('in use'), { name: 'ResourceInUse' }), {}), undefined);
  });

  it('keeps the spec\'s own spelling of a member, and guesses it for a missing one', () => {
    assert.deepEqual(specPathOf('roleArn', {}), ['RoleArn']);
    assert.deepEqual(specPathOf('hyperParameters', { HyperParameters: {} }), ['HyperParameters']);
    assert.deepEqual(specPathOf('vpcConfig.subnets', { VpcConfig: { Subnets: [] } }), ['VpcConfig', 'Subnets']);
  });
});

describe('specs made for the user', () => {
  const description: TrainingJobDescription = {
    TrainingJobName: 'gpt-7',
    TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpt-7',
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    CreationTime: new Date('2026-11-28T10:00:00Z'),
    AlgorithmSpecification: { TrainingImage: 'img', TrainingInputMode: 'File' },
    RoleArn: 'arn:aws:iam::000000000000:role/r',
    OutputDataConfig: { S3OutputPath: 's3://bkt/output' },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    HyperParameters: { steps: '10' },
    ModelArtifacts: { S3ModelArtifacts: 's3://bkt/output/gpt-7/output/model.tar.gz' },
    SecondaryStatusTransitions: [{ Status: 'Starting', StartTime: new Date() }],
    FinalMetricDataList: [{ MetricName: 'loss', Value: 1 }],
    BillableTimeInSeconds: 10,
    DebugRuleEvaluationStatuses: [],
  };

  it('clones a job as its request: the request\'s members only, the new name, its tags', () => {
    const spec = cloneTrainingSpec(description, 'gpt-7-2', [{ Key: 'team', Value: 'nlp' }]);
    assert.deepEqual(Object.keys(spec).sort(), ['AlgorithmSpecification', 'HyperParameters', 'OutputDataConfig', 'ResourceConfig', 'RoleArn', 'StoppingCondition', 'Tags', 'TrainingJobName']);
    assert.equal(spec.TrainingJobName, 'gpt-7-2');
    assert.deepEqual(spec.Tags, [{ Key: 'team', Value: 'nlp' }]);
  });

  it('writes a new spec from the choices, spot waiting twice the runtime, and its text parses back to it', () => {
    const spec = newTrainingSpec({ ...SPOT_GPT_CHOICES, validation: 's3://bkt/validation/' });
    assert.deepEqual(spec.StoppingCondition, { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
    assert.deepEqual(spec.InputDataConfig?.map((channel) => channel.ChannelName), ['train', 'validation']);
    assert.ok(spec.AlgorithmSpecification?.MetricDefinitions?.some((definition) => definition.Name === 'validation:loss'));
    for (const format of ['json', 'yaml'] as const) {
      const parsed = parseSpec(specText(spec, format), format);
      assert.deepEqual(parsed.syntaxErrors, []);
      assert.deepEqual(parsed.value, JSON.parse(JSON.stringify(spec)));
      assert.deepEqual(specProblems('training', parsed.value, { schemaCheckedByEditor: false }), []);
    }
    assert.match(specText(spec, 'yaml'), /steps: "300"/, 'strings that look like numbers stay strings');
  });
});
