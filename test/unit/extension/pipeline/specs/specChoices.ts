// What a user picks in New Training Job Spec's quick picks, as the spec tests share it: the built-in
// GPT on two spot instances, with a checkpoint location and an hour's runtime.
import type { NewTrainingSpec } from '../../../../../src/pipeline/specs/trainingSpecs';

export const SPOT_GPT_CHOICES: NewTrainingSpec = {
  name: 'gpt-a',
  image: 'sagemaker-emulator/builtin-gpt:latest',
  roleArn: 'arn:aws:iam::000000000000:role/r',
  instanceType: 'ml.m5.xlarge',
  instanceCount: 2,
  spot: true,
  train: 's3://bkt/train/',
  outputPath: 's3://bkt/models/',
  checkpointUri: 's3://bkt/checkpoints/gpt-a/',
  hyperParameters: { steps: '300' },
  maxRuntimeSeconds: 3600,
};
