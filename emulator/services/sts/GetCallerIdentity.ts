// Who is calling: the account the request acts as (a 12-digit access key id names one, any other
// key the emulator's default account) and the caller's access key. The emulator has no IAM users,
// so the caller is named by its key, as an IAM user of that account: `arn:aws:iam::<account>:user/<key>`.
import type { GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { OperationOutput, RequestContext } from '../../operations';

export async function getCallerIdentity(
  _input: GetCallerIdentityCommandInput,
  context: RequestContext,
): Promise<OperationOutput<GetCallerIdentityCommandOutput>> {
  // Requests reach STS by their signing name: every one here is signed, with an access key.
  const accessKeyId = context.accessKeyId!;
  return { UserId: accessKeyId, Account: context.accountId, Arn: `arn:aws:iam::${context.accountId}:user/${accessKeyId}` };
}
