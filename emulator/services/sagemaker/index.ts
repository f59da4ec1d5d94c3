// SageMaker's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { addTags } from './AddTags';
import { createEndpoint } from './CreateEndpoint';
import { createEndpointConfig } from './CreateEndpointConfig';
import { createModel } from './CreateModel';
import { createModelPackage } from './CreateModelPackage';
import { createModelPackageGroup } from './CreateModelPackageGroup';
import { createProcessingJob } from './CreateProcessingJob';
import { createTrainingJob } from './CreateTrainingJob';
import { createTransformJob } from './CreateTransformJob';
import { deleteEndpoint } from './DeleteEndpoint';
import { deleteEndpointConfig } from './DeleteEndpointConfig';
import { deleteModel } from './DeleteModel';
import { deleteModelPackage } from './DeleteModelPackage';
import { deleteModelPackageGroup } from './DeleteModelPackageGroup';
import { deleteTags } from './DeleteTags';
import { describeEndpoint } from './DescribeEndpoint';
import { describeEndpointConfig } from './DescribeEndpointConfig';
import { describeModel } from './DescribeModel';
import { describeModelPackage } from './DescribeModelPackage';
import { describeModelPackageGroup } from './DescribeModelPackageGroup';
import { describeProcessingJob } from './DescribeProcessingJob';
import { describeTrainingJob } from './DescribeTrainingJob';
import { describeTransformJob } from './DescribeTransformJob';
import { listEndpointConfigs } from './ListEndpointConfigs';
import { listEndpoints } from './ListEndpoints';
import { listModelPackageGroups } from './ListModelPackageGroups';
import { listModelPackages } from './ListModelPackages';
import { listModels } from './ListModels';
import { listProcessingJobs } from './ListProcessingJobs';
import { listTags } from './ListTags';
import { listTrainingJobs } from './ListTrainingJobs';
import { listTransformJobs } from './ListTransformJobs';
import { stopProcessingJob } from './StopProcessingJob';
import { stopTrainingJob } from './StopTrainingJob';
import { stopTransformJob } from './StopTransformJob';
import { updateEndpoint } from './UpdateEndpoint';
import { updateEndpointWeightsAndCapacities } from './UpdateEndpointWeightsAndCapacities';
import { updateModelPackage } from './UpdateModelPackage';

export const sagemakerOperations: OperationTable = {
  AddTags: addTags,
  CreateEndpoint: createEndpoint,
  CreateEndpointConfig: createEndpointConfig,
  CreateModel: createModel,
  CreateModelPackage: createModelPackage,
  CreateModelPackageGroup: createModelPackageGroup,
  CreateProcessingJob: createProcessingJob,
  CreateTrainingJob: createTrainingJob,
  CreateTransformJob: createTransformJob,
  DeleteEndpoint: deleteEndpoint,
  DeleteEndpointConfig: deleteEndpointConfig,
  DeleteModel: deleteModel,
  DeleteModelPackage: deleteModelPackage,
  DeleteModelPackageGroup: deleteModelPackageGroup,
  DeleteTags: deleteTags,
  DescribeEndpoint: describeEndpoint,
  DescribeEndpointConfig: describeEndpointConfig,
  DescribeModel: describeModel,
  DescribeModelPackage: describeModelPackage,
  DescribeModelPackageGroup: describeModelPackageGroup,
  DescribeProcessingJob: describeProcessingJob,
  DescribeTrainingJob: describeTrainingJob,
  DescribeTransformJob: describeTransformJob,
  ListEndpointConfigs: listEndpointConfigs,
  ListEndpoints: listEndpoints,
  ListModelPackageGroups: listModelPackageGroups,
  ListModelPackages: listModelPackages,
  ListModels: listModels,
  ListProcessingJobs: listProcessingJobs,
  ListTags: listTags,
  ListTrainingJobs: listTrainingJobs,
  ListTransformJobs: listTransformJobs,
  StopProcessingJob: stopProcessingJob,
  StopTrainingJob: stopTrainingJob,
  StopTransformJob: stopTransformJob,
  UpdateEndpoint: updateEndpoint,
  UpdateEndpointWeightsAndCapacities: updateEndpointWeightsAndCapacities,
  UpdateModelPackage: updateModelPackage,
};
