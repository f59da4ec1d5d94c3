// A training job's CloudWatch log events as SageMaker writes them: group /aws/sagemaker/TrainingJobs,
// one stream per host and attempt (`<job>/algo-<n>-<epoch seconds>`), read interleaved by time
// through FilterLogEvents, from where the previous read ended.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadSdk } from '../aws/clients';

export const TRAINING_JOB_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

export interface LogLine {
  timestamp: number;
  /** The host the line comes from, e.g. `algo-1`. */
  host: string;
  message: string;
}

/** Reads a job's log events in time order; each `next` returns only events no earlier call returned. */
export class TrainingJobLogCursor {
  /** The newest timestamp returned so far; reading resumes there (CloudWatch's startTime is inclusive)... */
  private startTime: number | undefined;
  /** ...skipping the events at that timestamp already returned. */
  private returnedAtStart = new Set<string>();

  constructor(private readonly jobName: string) {}

  async next(logs: CloudWatchLogsClient): Promise<LogLine[]> {
    const { FilterLogEventsCommand } = await loadSdk();
    const lines: LogLine[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await logs.send(
          new FilterLogEventsCommand({
            logGroupName: TRAINING_JOB_LOG_GROUP,
            logStreamNamePrefix: `${this.jobName}/`,
            startTime: this.startTime,
            nextToken,
          }),
        );
      } catch (error) {
        // No log group yet: no job of the account has logged.
        if ((error as Error).name === 'ResourceNotFoundException') return lines;
        throw error;
      }
      for (const event of page.events ?? []) {
        const timestamp = event.timestamp ?? 0;
        const id = event.eventId ?? `${event.logStreamName}:${timestamp}:${event.message}`;
        if (timestamp === this.startTime && this.returnedAtStart.has(id)) continue;
        if (this.startTime === undefined || timestamp > this.startTime) {
          this.startTime = timestamp;
          this.returnedAtStart = new Set();
        }
        this.returnedAtStart.add(id);
        lines.push({ timestamp, host: hostOf(event.logStreamName ?? ''), message: (event.message ?? '').replace(/\n$/, '') });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return lines;
  }
}

/** `job/algo-2-1700000000` → `algo-2`. */
export function hostOf(logStreamName: string): string {
  return logStreamName.slice(logStreamName.indexOf('/') + 1).replace(/-\d{9,}$/, '');
}

/** `12:03:04 algo-1 | message`, the time in the user's zone. */
export function formatLogLine(line: LogLine): string {
  const time = new Date(line.timestamp).toLocaleTimeString(undefined, { hour12: false });
  return `${time} ${line.host} | ${line.message}`;
}
