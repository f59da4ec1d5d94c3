// Following an endpoint creation or update to its end, for the commands that start one: a
// cancellable notification with the endpoint's status, the Endpoints view re-read as the status
// changes (so it shows InService as soon as SageMaker says so), and the outcome in words.
import type { EndpointStatus } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';
import { describeOutcome, followDeployment, type DeploymentOutcome } from '../../pipeline/endpointUpdates';
import type { Workbench } from '../../workbench';

/** How often the endpoint is described while it deploys: well under the view's 1 s promise. */
const FOLLOW_INTERVAL_MS = 250;

/**
 * Follows the deployment of `configName` to `endpointName`, then says how it ended (a rollback as a
 * warning with SageMaker's reason). Undefined if the user stopped following (the deployment goes on).
 */
export async function followWithProgress(
  workbench: Pick<Workbench, 'connection' | 'endpoints'>,
  title: string,
  endpointName: string,
  configName: string,
  versionArn?: string,
): Promise<DeploymentOutcome | undefined> {
  const sageMaker = await workbench.connection.clients.sageMaker();
  workbench.endpoints.refresh();
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const stop = new AbortController();
    token.onCancellationRequested(() => stop.abort());
    let last: EndpointStatus | undefined;
    return followDeployment(sageMaker, endpointName, configName, {
      intervalMs: FOLLOW_INTERVAL_MS,
      signal: stop.signal,
      onStatus: (status, endpoint) => {
        if (status === last) return;
        last = status;
        progress.report({ message: status });
        void workbench.endpoints.showStatus(endpoint);
      },
    });
  });
  workbench.endpoints.refresh();
  if (!outcome) return undefined;
  const message = describeOutcome(endpointName, outcome, versionArn);
  if (outcome.kind === 'inService') void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message, { modal: false });
  return outcome;
}
