// Seeds an emulator data folder with many completed training jobs, fast: one job is created through
// the real CreateTrainingJob call (an emulator that keeps jobs queued, so no process runs), and its
// stored record is the template for the rest, written through the emulator's own store API (the
// write-ahead log the emulator replays when it starts) as Completed jobs a minute apart. No process
// is launched for them; what ListTrainingJobs and DescribeTrainingJob answer is what they would
// answer for jobs that really ran.
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { join } from 'node:path';
import { Store, put, remove } from '../emulator/store/store';
import { sagemakerClient } from '../harness/emulatorClients';
import { trainingJobs, type TrainingJobRecord } from '../emulator/services/sagemaker/trainingJobs/records';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { gptTrainingJobRequest } from '../harness/requests';

const CHUNK = 1000;

/** Writes `count` Completed training jobs named `<prefix>-00000`… into `dataDir` (no emulator may be running on it). */
export async function seedCompletedTrainingJobs(dataDir: string, count: number, prefix = 'bench-job'): Promise<void> {
  const emulator = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
  try {
    const sageMaker = sagemakerClient(emulator.url);
    await sageMaker.send(new CreateTrainingJobCommand(gptTrainingJobRequest(`${prefix}-template`, { output: 's3://bench-output/output' })));
    sageMaker.destroy();
  } finally {
    await emulator.stop();
  }
  // Where the emulator keeps its store (emulator/app.ts).
  const store = await Store.open(join(dataDir, 'store'));
  try {
    const [partition, records] = [...allPartitions(store)][0];
    const [templateKey, template] = records.find(([, record]) => record.request.TrainingJobName === `${prefix}-template`)!;
    const now = Date.now();
    for (let start = 0; start < count; start += CHUNK) {
      const changes = [];
      for (let index = start; index < Math.min(start + CHUNK, count); index++) {
        const name = `${prefix}-${String(index).padStart(5, '0')}`;
        const createdAt = now - (count - index) * 60_000;
        const endedAt = createdAt + 45_000;
        const record: TrainingJobRecord = {
          ...template,
          arn: template.arn.replace(/training-job\/.*$/, `training-job/${name}`),
          createdAt,
          lastModifiedAt: endedAt,
          request: { ...template.request, TrainingJobName: name },
          status: 'Completed',
          secondaryStatus: 'Completed',
          trainingStartedAt: createdAt + 5_000,
          trainingEndedAt: endedAt,
          transitions: [
            { status: 'Starting', startTime: createdAt, endTime: createdAt + 5_000, message: 'Preparing the instances for training' },
            { status: 'Training', startTime: createdAt + 5_000, endTime: endedAt, message: 'Training image download completed. Training in progress.' },
            { status: 'Completed', startTime: endedAt, endTime: endedAt, message: 'Training job completed' },
          ],
        };
        changes.push(put(trainingJobs.table, partition, name.toLowerCase(), record));
      }
      await store.commit(changes);
    }
    // The template was only there to copy: it goes, so every listed job is one of the seeded ones.
    await store.commit([remove(trainingJobs.table, partition, templateKey)]);
  } finally {
    await store.close();
  }
}

/** Each account and region's training jobs (the store's partition is `account:region`). */
function* allPartitions(store: Store): Iterable<[string, [string, TrainingJobRecord][]]> {
  for (const record of store.scan(trainingJobs.table)) {
    const [, , , region, account] = record.arn.split(':');
    const partition = `${account}:${region}`;
    yield [partition, store.entries(trainingJobs.table, partition)];
  }
}
