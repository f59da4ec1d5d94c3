// SageMaker's operation table: the handlers of every resource folder, each checked against the
// SDK's `<Operation>CommandInput`/`Output` of the name it is exported under (operations.ts).
// Operations of the model missing here answer NotImplemented.
import type * as SageMaker from '@aws-sdk/client-sagemaker';
import { operationTable } from '../../operations';
import * as hosting from './hosting/operations';
import * as processingJobs from './processingJobs/operations';
import * as registry from './registry/operations';
import * as tags from './tags/operations';
import * as trainingJobs from './trainingJobs/operations';
import * as transformJobs from './transformJobs/operations';

export const sagemakerOperations = operationTable<typeof SageMaker>()({
  ...trainingJobs,
  ...processingJobs,
  ...transformJobs,
  ...hosting,
  ...registry,
  ...tags,
});
