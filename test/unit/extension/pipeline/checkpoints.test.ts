// Unit tests of checkpoint layouts.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshCheckpointUri, groupCheckpoints, recogniseEntry } from '../../../../src/pipeline/checkpoints';
import type { DatasetObject } from '../../../../src/pipeline/datasets';
import { resumePlan } from '../../../../src/pipeline/resumeFromCheckpoint';
import { formatHyperParameters, parseHyperParameters } from '../../../../src/pipeline/specs/trainingSpecs';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

const PREFIX = 'checkpoints/job/';

/** Objects under the test prefix: relative key → [size, minute it was written]. */
function objects(files: Record<string, [number, number]>): DatasetObject[] {
  return Object.entries(files).map(([relative, [size, minute]]) => ({
    bucket: 'b',
    key: `${PREFIX}${relative}`,
    size,
    lastModified: new Date(Date.UTC(2026, 0, 1, 12, minute)),
  }));
}

const summary = (listing: ReturnType<typeof groupCheckpoints>) =>
  listing.checkpoints.map((checkpoint) => [checkpoint.label, checkpoint.size, checkpoint.objects.length, checkpoint.latest]);

describe('checkpoint layouts', () => {
  it('the built-in GPT: one safetensors file per step, zero-padded', () => {
    const listing = groupCheckpoints(objects({ 'checkpoint-00000050.safetensors': [10, 1], 'checkpoint-00000100.safetensors': [10, 2], 'checkpoint-00000150.safetensors': [10, 3] }), PREFIX);
    assert.equal(listing.layout, 'builtinGpt');
    assert.deepEqual(summary(listing), [['step 150', 10, 1, true], ['step 100', 10, 1, false], ['step 50', 10, 1, false]]);
  });

  it('Hugging Face Trainer: a checkpoint-<step>/ folder each, sized by all its files; steps sorted as numbers, not text', () => {
    const listing = groupCheckpoints(
      objects({
        'checkpoint-500/model.safetensors': [100, 1],
        'checkpoint-500/optimizer.pt': [200, 1],
        'checkpoint-500/trainer_state.json': [1, 1],
        'checkpoint-1000/model.safetensors': [100, 2],
        'checkpoint-1000/optimizer.pt': [200, 2],
        'checkpoint-90/model.safetensors': [100, 0],
      }),
      PREFIX,
    );
    assert.equal(listing.layout, 'huggingFace');
    assert.deepEqual(summary(listing), [['step 1000', 300, 2, true], ['step 500', 301, 3, false], ['step 90', 100, 1, false]]);
  });

  it('PyTorch Lightning: epoch=E-step=S.ckpt (with metrics in the name too); last.ckpt is listed by time, not as the latest step', () => {
    const listing = groupCheckpoints(
      objects({ 'epoch=0-step=100.ckpt': [5, 1], 'epoch=1-step=200-val_loss=0.42.ckpt': [5, 2], 'last.ckpt': [5, 3] }),
      PREFIX,
    );
    assert.equal(listing.layout, 'lightning');
    assert.deepEqual(summary(listing), [['step 200', 5, 1, true], ['step 100', 5, 1, false], ['last.ckpt', 5, 1, false]]);
    assert.equal(listing.checkpoints[0].epoch, 1);
  });

  it('files and folders with a step number: Megatron, DeepSpeed, a model and its optimizer state as one step', () => {
    assert.deepEqual([recogniseEntry('iter_0000200', true).step, recogniseEntry('global_step300', true).step, recogniseEntry('model_step_500.pt', false).step, recogniseEntry('ckpt-7.pt', false).step, recogniseEntry('weights-v2-1200.bin', false).step], [200, 300, 500, 7, 1200]);
    const listing = groupCheckpoints(objects({ 'model_step_500.pt': [10, 5], 'optim_step_500.pt': [20, 5], 'model_step_1000.pt': [10, 9], 'optim_step_1000.pt': [20, 9], 'latest': [1, 9] }), PREFIX);
    assert.equal(listing.layout, 'numbered');
    assert.deepEqual(summary(listing), [['step 1000', 30, 2, true], ['step 500', 30, 2, false], ['latest', 1, 1, false]]);
  });

  it('anything else: one entry per file or folder, newest first, the newest marked', () => {
    const listing = groupCheckpoints(objects({ 'final.pt': [1, 5], 'best/model.bin': [2, 7], 'best/config.json': [1, 7], 'initial.pt': [1, 1] }), PREFIX);
    assert.equal(listing.layout, 'byTime');
    assert.deepEqual(summary(listing), [['best/', 3, 2, true], ['final.pt', 1, 1, false], ['initial.pt', 1, 1, false]]);
  });

  it("dates a checkpoint by its newest file, lists those without a step after every step however new, ties by name, and names the layout most checkpoints have", () => {
    // old/'s newest file comes first among its objects: its date must not be the last one read.
    const listing = groupCheckpoints(objects({ 'old/y': [1, 8], 'old/x': [1, 1], 'b.pt': [1, 5], 'a.pt': [1, 5], 'notes': [1, 30], 'iter_3.pt': [1, 2], 'iter_4.pt': [1, 3], 'checkpoint-5/model.bin': [1, 0] }), PREFIX);
    assert.deepEqual(
      listing.checkpoints.map((checkpoint) => [checkpoint.label, checkpoint.lastModified?.getUTCMinutes(), checkpoint.latest]),
      [['step 5', 0, true], ['step 4', 3, false], ['step 3', 2, false], ['notes', 30, false], ['old/', 8, false], ['a.pt', 5, false], ['b.pt', 5, false]],
    );
    assert.equal(listing.layout, 'numbered', 'two numbered checkpoints against one Hugging Face folder');
    const undated = groupCheckpoints([{ bucket: 'b', key: `${PREFIX}undated.pt`, size: 1 }, ...objects({ 'dated.pt': [1, 1] })], PREFIX);
    assert.deepEqual(undated.checkpoints.map((checkpoint) => checkpoint.label), ['dated.pt', 'undated.pt'], 'a file without a date after the dated');
  });

  it('ignores folder markers and anything outside the prefix; an empty location has no checkpoints', () => {
    const listing = groupCheckpoints([...objects({ 'checkpoint-00000001.safetensors': [1, 1] }), { bucket: 'b', key: PREFIX, size: 0 }, { bucket: 'b', key: 'elsewhere/x', size: 1 }], PREFIX);
    assert.equal(listing.checkpoints.length, 1);
    assert.deepEqual(groupCheckpoints([], PREFIX), { layout: 'byTime', checkpoints: [] });
  });

  it('puts a resumed job\'s checkpoints beside the old ones', () => {
    assert.equal(freshCheckpointUri('s3://b/checkpoints/gpt-7/', 'gpt-7-resume-1'), 's3://b/checkpoints/gpt-7-resume-1/');
    assert.equal(freshCheckpointUri('s3://b/checkpoints/gpt-7', 'x'), 's3://b/checkpoints/x/');
    assert.equal(freshCheckpointUri('s3://b/ckpt/', 'x'), 's3://b/x/');
    assert.equal(freshCheckpointUri('s3://b', 'x'), 's3://b/x/');
    assert.equal(freshCheckpointUri('s3://my-bucket/checkpoints/gpt-7//', 'x'), 's3://my-bucket/checkpoints/x/', 'every trailing slash');
    for (const uri of ['/opt/ml/checkpoints', 'xs3://b/checkpoints/gpt-7']) {
      assert.throws(() => freshCheckpointUri(uri, 'x'), new RegExp(`^Error: ${uri.replace(/[/.]/g, '\\$&')} is not an s3:// URI$`), uri);
    }
  });

  it('resumes with the old job\'s hyperparameters unless they are changed, edited as name=value text', () => {
    const old = { TrainingJobName: 'gpt-7', HyperParameters: { steps: '1000', lr: '3e-4' }, CheckpointConfig: { S3Uri: 's3://b/checkpoints/gpt-7/' } } as unknown as TrainingJobDescription;
    assert.deepEqual(resumePlan(old, 'gpt-7-resume-1'), { newJobName: 'gpt-7-resume-1', checkpointUri: 's3://b/checkpoints/gpt-7-resume-1/', hyperParameters: { steps: '1000', lr: '3e-4' } });
    const edited = parseHyperParameters(formatHyperParameters(old.HyperParameters).replace('steps=1000', 'steps=1200'));
    assert.deepEqual(resumePlan(old, 'x', edited).hyperParameters, { steps: '1200', lr: '3e-4' });
    assert.equal(formatHyperParameters(undefined), '');
    assert.deepEqual(parseHyperParameters(' a = 1 ,, b=x=y '), { a: '1', b: 'x=y' });
    assert.equal(parseHyperParameters('a=1, oops'), undefined, 'a pair without = is refused');
    assert.throws(() => resumePlan({ ...old, CheckpointConfig: undefined }, 'x'), /gpt-7 has no checkpoint location \(CheckpointConfig\.S3Uri\)/);
  });
});
