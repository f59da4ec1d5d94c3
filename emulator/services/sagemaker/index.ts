// SageMaker's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { createTrainingJob } from './CreateTrainingJob';
import { describeTrainingJob } from './DescribeTrainingJob';
import { listTrainingJobs } from './ListTrainingJobs';
import { stopTrainingJob } from './StopTrainingJob';

export const sagemakerOperations: OperationTable = {
  CreateTrainingJob: createTrainingJob,
  DescribeTrainingJob: describeTrainingJob,
  ListTrainingJobs: listTrainingJobs,
  StopTrainingJob: stopTrainingJob,
};
