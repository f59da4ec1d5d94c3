// `node trainCli.js`: the training container's command. SIGTERM (StopTrainingJob, spot interruption)
// stops after the current step with a checkpoint; a failure is written where SageMaker looks for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runTrainingJob } from './trainingJob';

const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
runTrainingJob(process.env, (line) => console.log(line), stop.signal).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    const outputDirectory = process.env.SM_OUTPUT_DIR ?? '/opt/ml/output';
    try {
      mkdirSync(outputDirectory, { recursive: true });
      writeFileSync(path.join(outputDirectory, 'failure'), error.message);
    } catch {
      // The failure is on stderr already; an unwritable output directory must not hide it.
    }
    process.exit(1);
  },
);
