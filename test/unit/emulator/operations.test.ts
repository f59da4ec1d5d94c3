// The operation table pairs each operation with its own handler: the SageMaker table holds every
// handler under its operation's name, and (checked when the tests compile) a handler cannot be
// filed under another operation's name or under a name the SDK does not have.
import type * as SageMaker from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationTable } from '../../../emulator/operations';
import { sagemakerOperations } from '../../../emulator/services/sagemaker';
import { DescribeTrainingJob } from '../../../emulator/services/sagemaker/trainingJobs/DescribeTrainingJob';
import { ListModels } from '../../../emulator/services/sagemaker/hosting/ListModels';

describe('the SageMaker operation table', () => {
  it("files each handler under its operation's name", () => {
    assert.equal(sagemakerOperations.DescribeTrainingJob, DescribeTrainingJob);
    assert.equal(sagemakerOperations.ListModels, ListModels);
    assert.equal(Object.keys(sagemakerOperations).length, 38);
    for (const [name, handler] of Object.entries(sagemakerOperations)) assert.equal(handler.name, name, `${name} is the handler named ${name}`);
  });

  it("does not compile a handler filed under another operation's name, or a name the SDK does not have", () => {
    const sagemaker = operationTable<typeof SageMaker>();
    // DescribeTrainingJob's input is assignable to CreateTrainingJob's, and its output too: only the
    // exact check on the input tells them apart.
    // @ts-expect-error DescribeTrainingJob declared with DescribeTrainingJob's input, filed as CreateTrainingJob
    const mispaired = sagemaker({ CreateTrainingJob: DescribeTrainingJob });
    // @ts-expect-error no command named DescribeTrainingJobs in the SDK
    const misnamed = sagemaker({ DescribeTrainingJobs: DescribeTrainingJob });
    // At run time the table is plain: the checks above are the compiler's.
    assert.equal(mispaired.CreateTrainingJob, DescribeTrainingJob);
    assert.equal(misnamed.DescribeTrainingJobs, DescribeTrainingJob);
  });
});
