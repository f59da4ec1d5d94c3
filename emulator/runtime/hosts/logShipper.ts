// A host's output as CloudWatch Logs events, shipped in batches a few times a second so a line is
// readable about as soon as it is printed, as the CloudWatch agent on a SageMaker instance does.
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { PeriodicFlusher } from '../periodicFlusher';

/** PutLogEvents accepts at most 10,000 events and about 1 MB per call. */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_000_000;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD_BYTES;

export const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

export async function ensureLogStream(logs: CloudWatchLogsClient, group: string, stream: string): Promise<void> {
  for (const command of [new CreateLogGroupCommand({ logGroupName: group }), new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })]) {
    try {
      await logs.send(command as CreateLogGroupCommand);
    } catch (error) {
      if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
    }
  }
}

export class LogShipper {
  private pending: { message: string; timestamp: number }[] = [];
  private readonly flusher: PeriodicFlusher;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly group: string,
    private readonly stream: string,
    onError: (error: Error) => void,
  ) {
    this.flusher = new PeriodicFlusher(() => this.send(), onError);
  }

  start(intervalMs: number): void {
    this.flusher.start(intervalMs);
  }

  append(message: string, timestamp = Date.now()): void {
    // Events over the size limit are cut, as the agent does, rather than rejected.
    this.pending.push({ message: Buffer.byteLength(message) > MAX_EVENT_BYTES ? message.slice(0, MAX_EVENT_BYTES / 4) : message || ' ', timestamp });
  }

  /** Sends everything appended so far; calls are serialised so events stay in order. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  close(): Promise<void> {
    return this.flusher.close();
  }

  private async send(): Promise<void> {
    while (this.pending.length > 0) {
      let bytes = 0;
      let count = 0;
      while (count < this.pending.length && count < MAX_BATCH_EVENTS) {
        const size = Buffer.byteLength(this.pending[count].message) + EVENT_OVERHEAD_BYTES;
        if (count > 0 && bytes + size > MAX_BATCH_BYTES) break;
        bytes += size;
        count++;
      }
      const batch = this.pending.slice(0, count);
      await this.logs.send(new PutLogEventsCommand({ logGroupName: this.group, logStreamName: this.stream, logEvents: batch }));
      this.pending = this.pending.slice(count);
    }
  }
}
