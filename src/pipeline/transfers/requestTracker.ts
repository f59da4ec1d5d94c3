// Watches the S3 requests one transfer makes, from outside the code that makes them (lib-storage's
// Upload): which are still in flight, which multipart uploads it opened, and which objects it
// created. A cancelled or failed transfer then cleans up exactly what it made — after the requests in
// flight have landed, so that none of them opens or creates something behind the cleanup's back.
import type { S3Client } from '@aws-sdk/client-s3';
import type { FinalizeHandlerArguments, HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, MetadataBearer } from '@smithy/types';

let trackers = 0;

export class RequestTracker {
  private inFlight = 0;
  private idle: (() => void)[] = [];
  /** Multipart uploads opened and not yet completed or aborted: key → upload ids. */
  readonly openUploads = new Map<string, Set<string>>();
  /** Keys a PutObject or CompleteMultipartUpload of this transfer wrote. */
  readonly created = new Set<string>();
  private readonly name = `sagemaker-transfer-tracker-${++trackers}`;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly keys: ReadonlySet<string>,
  ) {
    s3.middlewareStack.add(
      (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => (args: InitializeHandlerArguments<object>) => this.track(next, context, args),
      { step: 'initialize', name: this.name, override: true },
    );
  }

  private async track(next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext, args: InitializeHandlerArguments<object> | FinalizeHandlerArguments<object>) {
    const input = args.input as { Bucket?: string; Key?: string; UploadId?: string };
    if (input.Bucket !== this.bucket || input.Key === undefined || !this.keys.has(input.Key)) {
      return next(args as InitializeHandlerArguments<object>);
    }
    const key = input.Key;
    this.inFlight++;
    try {
      const result = await next(args as InitializeHandlerArguments<object>);
      const output = result.output as { UploadId?: string };
      switch (context.commandName) {
        case 'CreateMultipartUploadCommand':
          if (output.UploadId) this.uploadsOf(key).add(output.UploadId);
          break;
        case 'CompleteMultipartUploadCommand':
          this.created.add(key);
          this.uploadsOf(key).delete(input.UploadId ?? '');
          break;
        case 'AbortMultipartUploadCommand':
          this.uploadsOf(key).delete(input.UploadId ?? '');
          break;
        case 'PutObjectCommand':
          this.created.add(key);
          break;
      }
      return result;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  private uploadsOf(key: string): Set<string> {
    let ids = this.openUploads.get(key);
    if (!ids) this.openUploads.set(key, (ids = new Set()));
    return ids;
  }

  /** Resolves once no request of this transfer is in flight, or after `timeoutMs` (then false). */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  dispose(): void {
    this.s3.middlewareStack.remove(this.name);
  }
}
