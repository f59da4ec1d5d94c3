// Serving a version that is not Approved asks first: approval is how a registry records that a model
// may serve. Approve it and go on, or go on with it as it is.
import type { ModelApprovalStatus } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';

export async function askWhenNotApproved(label: string, approval: ModelApprovalStatus, action: 'Deploy' | 'Update'): Promise<'approve' | 'deploy' | undefined> {
  const choice = await vscode.window.showWarningMessage(
    `${label} is ${approval === 'Rejected' ? 'Rejected' : 'not approved yet'}. ${action === 'Deploy' ? 'Deploy it' : 'Serve it'} anyway?`,
    { modal: true, detail: 'Approving a version is how the registry records that it may serve. Approve it and go on, or go on with it as it is (its approval stays as it is).' },
    `Approve and ${action}`,
    `${action} Anyway`,
  );
  return choice === `Approve and ${action}` ? 'approve' : choice === `${action} Anyway` ? 'deploy' : undefined;
}
