// Every status of SageMaker's job status machine (training, processing and transform jobs) against
// every gate: Stop* is allowed for InProgress only and refused for each other status with AWS's
// ValidationException naming that status; each status may move only where AWS's documented lifecycle
// goes (a job may still finish or fail while Stopping, nothing leaves an ended job).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../../../../../emulator/errors';
import { advanceJob, assertStoppable, canMove, isTerminal, type JobStatus, startedJob } from '../../../../../../emulator/services/sagemaker/common/jobStatus';

const STATUSES: readonly JobStatus[] = ['InProgress', 'Stopping', 'Stopped', 'Completed', 'Failed'];
const ENDED: readonly JobStatus[] = ['Stopped', 'Completed', 'Failed'];
const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));

describe('job status gates', () => {
  it('lets Stop* stop an InProgress job only, refusing every other status with a ValidationException naming it', () => {
    for (const noun of ['training job', 'processing job', 'transform job']) {
      assert.doesNotThrow(() => assertStoppable({ noun }, 'InProgress'));
      for (const status of STATUSES.filter((status) => status !== 'InProgress')) {
        assert.throws(
          () => assertStoppable({ noun }, status),
          (error: unknown) =>
            error instanceof AwsError &&
            error.code === 'ValidationException' &&
            error.status === 400 &&
            error.message === `The request was rejected because the ${noun} is in status ${status}.`,
          `${noun} ${status}`,
        );
      }
    }
  });

  it('ends a job only in Stopped, Completed or Failed, and moves nothing out of them', () => {
    for (const status of STATUSES) assert.equal(isTerminal(status), ENDED.includes(status), status);
    for (const from of ENDED) for (const to of STATUSES) assert.equal(canMove(from, to), false, `${from} → ${to}`);
  });

  it('moves an InProgress job anywhere, a Stopping one only to an end', () => {
    for (const to of STATUSES) assert.equal(canMove('InProgress', to), true, `InProgress → ${to}`);
    for (const to of STATUSES) assert.equal(canMove('Stopping', to), ENDED.includes(to), `Stopping → ${to}`);
  });

  it('stamps when the work began and ended, keeps a failure reason, and throws on an illegal move', () => {
    const started = startedJob(at(0));
    assert.deepEqual(started, { status: 'InProgress', lastModifiedAt: at(0).getTime() });
    const running = advanceJob(started, 'InProgress', at(5));
    assert.equal(running.startedAt, at(5).getTime());
    assert.equal(running.endedAt, undefined);
    const stopping = advanceJob(running, 'Stopping', at(6));
    assert.deepEqual([stopping.startedAt, stopping.endedAt, stopping.lastModifiedAt], [at(5).getTime(), undefined, at(6).getTime()]);
    const failed = advanceJob(stopping, 'Failed', at(7), { failureReason: 'AlgorithmError: exit 1' });
    assert.deepEqual([failed.status, failed.startedAt, failed.endedAt, failed.failureReason], ['Failed', at(5).getTime(), at(7).getTime(), 'AlgorithmError: exit 1']);
    assert.equal(advanceJob(started, 'Stopped', at(1)).startedAt, undefined, 'stopped before it ran: no start time');
    for (const to of STATUSES) assert.throws(() => advanceJob(failed, to, at(8)), new RegExp(`job cannot go from Failed to ${to}`));
  });
});
