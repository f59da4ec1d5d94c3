// Credentials the emulator issues to its own runtime and to the processes it runs (training,
// processing and transform jobs, endpoint containers): one key pair per account, whose access key
// id is the 12-digit account id (so the request acts as that account) and whose secret is derived
// from a key made at each start. They are worth nothing outside this run of this emulator, so a job
// that prints its environment leaks nothing — unlike the credentials the emulator itself was given,
// which may be real ones (`--credentials-file ~/.aws/credentials`). With --verify-signatures they are
// accepted beside the configured ones.
import { createHmac, randomBytes } from 'node:crypto';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const ACCOUNT_ID = /^\d{12}$/;

export class IssuedCredentials {
  private readonly key = randomBytes(32);

  /** The key pair that acts as `accountId`. */
  forAccount(accountId: string): LocalCredentials {
    return { accessKeyId: accountId, secretAccessKey: this.derivedSecret(accountId) };
  }

  /** The secret of an issued access key id, or undefined if the emulator did not issue it. */
  secretOf(accessKeyId: string): string | undefined {
    return ACCOUNT_ID.test(accessKeyId) ? this.derivedSecret(accessKeyId) : undefined;
  }

  private derivedSecret(accessKeyId: string): string {
    return createHmac('sha256', this.key).update(`emulator-issued:${accessKeyId}`).digest('base64').slice(0, 40);
  }
}
