// STS's operation table (query protocol). Only GetCallerIdentity: SDKs and the SageMaker Python SDK
// ask it who is calling (Session.default_bucket names its bucket after the account); the emulator
// issues no temporary credentials. Operations of the model missing here answer NotImplemented.
import type * as Sts from '@aws-sdk/client-sts';
import { operationTable } from '../../operations';
import { getCallerIdentity } from './GetCallerIdentity';

export const stsOperations = operationTable<typeof Sts>()({
  GetCallerIdentity: getCallerIdentity,
});
