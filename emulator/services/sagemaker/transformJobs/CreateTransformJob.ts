// SageMaker CreateTransformJob: Starts a transform job.
import type { CreateTransformJobCommandInput, CreateTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { createJob } from '../common/jobs';
import { deployableModel, models } from '../hosting/modelRecords';
import { requireResource } from '../common/resources';
import { type TransformJobRecord, transformJobs } from './records';

/** SageMaker's default when MaxPayloadInMB is omitted. */
const DEFAULT_MAX_PAYLOAD_MB = 6;

export async function CreateTransformJob(
  input: CreateTransformJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateTransformJobCommandOutput>> {
  const model = requireResource(context, models, input.ModelName);
  const { Tags: tags, ...request } = input;
  const withDefaults: TransformJobRecord['request'] = { ...request, MaxPayloadInMB: request.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_MB };
  const arn = await createJob(context, transformJobs, input.TransformJobName ?? '', withDefaults, tags, { model: deployableModel(context, model.request) });
  context.runtimes.transform.submit(arn);
  return { TransformJobArn: arn };
}
