// Unit tests of src's executionRoles: the pure logic behind the extension's executionRoles, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { distinctRoles, roleArnProblem, roleName } from '../../../../src/pipeline/executionRoles';

it('takes IAM role ARNs as IAM writes them (any partition, a path, the name characters IAM allows, names of 64 at most) and refuses the rest', () => {
  for (const arn of [
    'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
    'arn:aws-cn:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20261201T101010',
    'arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f_g',
    `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`,
  ]) {
    assert.equal(roleArnProblem(arn), undefined, arn);
  }
  for (const arn of [
    'SageMakerExecutionRole',
    'arn:aws:iam::12345678901:role/eleven-digit-account',
    'arn:aws:iam::123456789012:user/not-a-role',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`,
  ]) {
    assert.match(roleArnProblem(arn) ?? '', /An IAM role ARN: arn:aws:iam::<12-digit account>:role\/<name>/, arn);
  }
});

it('names a role by what follows role/, its path kept', () => {
  assert.equal(roleName('arn:aws:iam::000000000000:role/SageMakerExecutionRole'), 'SageMakerExecutionRole');
  assert.equal(roleName('arn:aws-cn:iam::123456789012:role/service-role/X'), 'service-role/X');
});

it('lists each role once, with the newest resource that uses it', () => {
  const a = 'arn:aws:iam::000000000000:role/A';
  const b = 'arn:aws:iam::000000000000:role/B';
  assert.deepEqual(
    distinctRoles([{ arn: a, usedBy: 'model new' }, undefined, { arn: b, usedBy: 'training job t' }, { arn: a, usedBy: 'model old' }]),
    [
      { arn: a, usedBy: 'model new' },
      { arn: b, usedBy: 'training job t' },
    ],
  );
});
