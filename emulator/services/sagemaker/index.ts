// SageMaker's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { addTags } from './tags/AddTags';
import { createEndpoint } from './hosting/CreateEndpoint';
import { createEndpointConfig } from './hosting/CreateEndpointConfig';
import { createModel } from './hosting/CreateModel';
import { createModelPackage } from './registry/CreateModelPackage';
import { createModelPackageGroup } from './registry/CreateModelPackageGroup';
import { createProcessingJob } from './processingJobs/CreateProcessingJob';
import { createTrainingJob } from './trainingJobs/CreateTrainingJob';
import { createTransformJob } from './transformJobs/CreateTransformJob';
import { deleteEndpoint } from './hosting/DeleteEndpoint';
import { deleteEndpointConfig } from './hosting/DeleteEndpointConfig';
import { deleteModel } from './hosting/DeleteModel';
import { deleteModelPackage } from './registry/DeleteModelPackage';
import { deleteModelPackageGroup } from './registry/DeleteModelPackageGroup';
import { deleteTags } from './tags/DeleteTags';
import { describeEndpoint } from './hosting/DescribeEndpoint';
import { describeEndpointConfig } from './hosting/DescribeEndpointConfig';
import { describeModel } from './hosting/DescribeModel';
import { describeModelPackage } from './registry/DescribeModelPackage';
import { describeModelPackageGroup } from './registry/DescribeModelPackageGroup';
import { describeProcessingJob } from './processingJobs/DescribeProcessingJob';
import { describeTrainingJob } from './trainingJobs/DescribeTrainingJob';
import { describeTransformJob } from './transformJobs/DescribeTransformJob';
import { listEndpointConfigs } from './hosting/ListEndpointConfigs';
import { listEndpoints } from './hosting/ListEndpoints';
import { listModelPackageGroups } from './registry/ListModelPackageGroups';
import { listModelPackages } from './registry/ListModelPackages';
import { listModels } from './hosting/ListModels';
import { listProcessingJobs } from './processingJobs/ListProcessingJobs';
import { listTags } from './tags/ListTags';
import { listTrainingJobs } from './trainingJobs/ListTrainingJobs';
import { listTransformJobs } from './transformJobs/ListTransformJobs';
import { stopProcessingJob } from './processingJobs/StopProcessingJob';
import { stopTrainingJob } from './trainingJobs/StopTrainingJob';
import { stopTransformJob } from './transformJobs/StopTransformJob';
import { updateEndpoint } from './hosting/UpdateEndpoint';
import { updateEndpointWeightsAndCapacities } from './hosting/UpdateEndpointWeightsAndCapacities';
import { updateModelPackage } from './registry/UpdateModelPackage';

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
