// The one batch-and-flush loop of the emulator (a host's log events, a job's metric samples, endpoint
// invocation metrics): what was gathered is sent every interval and once more on close, one send at a
// time so batches stay in order. A send that fails is reported; what it left pending goes next time.
export class PeriodicFlusher {
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    /** Sends what is pending now. */
    private readonly send: () => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  /** Sends what is pending, after any send under way. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.send()).catch(this.onError);
    return this.flushing;
  }

  /** Stops the interval and sends what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
