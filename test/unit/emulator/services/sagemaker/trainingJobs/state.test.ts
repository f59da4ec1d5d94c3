// Unit tests of training job state machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advanceTrainingJob, startedTrainingJob } from '../../../../../../emulator/services/sagemaker/trainingJobs/state';
import { isTerminal } from '../../../../../../emulator/services/sagemaker/common/jobStatus';

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));

describe('training job state machine', () => {
  it('starts InProgress/Starting', () => {
    assert.deepEqual(startedTrainingJob(at(0)), {
      status: 'InProgress',
      secondaryStatus: 'Starting',
      transitions: [{ status: 'Starting', startTime: at(0).getTime(), message: 'Starting the training job' }],
      lastModifiedAt: at(0).getTime(),
    });
  });

  it('runs to completion, closing each transition and stamping start and end times', () => {
    let job = startedTrainingJob(at(0));
    job = advanceTrainingJob(job, 'Downloading', at(10));
    job = advanceTrainingJob(job, 'Training', at(20), { message: 'epoch 1/3' });
    job = advanceTrainingJob(job, 'Uploading', at(30));
    job = advanceTrainingJob(job, 'Completed', at(40));
    assert.equal(job.status, 'Completed');
    assert.equal(job.trainingStartedAt, at(10).getTime());
    assert.equal(job.trainingEndedAt, at(40).getTime());
    assert.equal(job.lastModifiedAt, at(40).getTime());
    assert.deepEqual(
      job.transitions.map((transition) => [transition.status, transition.startTime, transition.endTime]),
      [
        ['Starting', at(0).getTime(), at(10).getTime()],
        ['Downloading', at(10).getTime(), at(20).getTime()],
        ['Training', at(20).getTime(), at(30).getTime()],
        ['Uploading', at(30).getTime(), at(40).getTime()],
        ['Completed', at(40).getTime(), at(40).getTime()],
      ],
    );
    assert.equal(job.transitions[2].message, 'epoch 1/3');
    assert.ok(isTerminal(job.status));
  });

  it('maps secondary statuses to AWS primary statuses', () => {
    const running = advanceTrainingJob(startedTrainingJob(at(0)), 'Training', at(1));
    assert.equal(advanceTrainingJob(running, 'MaxRuntimeExceeded', at(2)).status, 'Stopped');
    assert.equal(advanceTrainingJob(running, 'Interrupted', at(2)).status, 'InProgress');
    const failed = advanceTrainingJob(running, 'Failed', at(2), { failureReason: 'AlgorithmError: out of memory' });
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.failureReason, 'AlgorithmError: out of memory');
    assert.equal(failed.transitions.at(-1)?.message, 'AlgorithmError: out of memory');
  });

  it('refuses moves out of a terminal status or back from Stopping', () => {
    const stopping = advanceTrainingJob(startedTrainingJob(at(0)), 'Stopping', at(1));
    assert.throws(() => advanceTrainingJob(stopping, 'Training', at(2)), /cannot go from Stopping\/Stopping to InProgress\/Training/);
    const stopped = advanceTrainingJob(stopping, 'Stopped', at(2));
    assert.throws(() => advanceTrainingJob(stopped, 'Stopping', at(3)), /cannot go/);
  });
});
