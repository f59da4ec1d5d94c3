// Readies the SageMaker client in the background shortly after activation, so that the first view
// expanded or command run does not pay for it: loads the SDK chunk and creates the client; against
// the emulator (static credentials) it also runs one ListTrainingJobs through the client's
// middleware up to the build step — resolving its configuration, identity and endpoint and compiling
// its serializers — and stops it there: nothing is signed or sent. Against AWS it stops at the
// client, since resolving the user's credentials may call out (SSO, instance metadata).
import type { AwsClients } from './clients';
import { loadSdk } from './clients';

/**
 * How long after activation the warm-up starts: activation, and the first reads of the views shown at
 * once, go first; short, since a user (or a benchmark) may expand a view as soon as the first is drawn.
 */
export const WARM_UP_DELAY_MS = 250;

/** Thrown by the last step of the warm-up's call: the request is built, and goes no further. */
class NotSent extends Error {}

export async function warmUpSageMaker(clients: AwsClients): Promise<void> {
  const [sageMaker, { ListTrainingJobsCommand }] = await Promise.all([clients.sageMaker(), loadSdk()]);
  if (clients.settings.mode !== 'emulator') return;
  const command = new ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1 });
  command.middlewareStack.add(
    () => () => {
      throw new NotSent('the warm-up call is built, not sent');
    },
    { step: 'build', priority: 'low', name: 'workbenchWarmUpStop' },
  );
  try {
    await sageMaker.send(command);
  } catch (error) {
    if (!(error instanceof NotSent)) throw error;
  }
}
