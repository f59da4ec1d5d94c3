// What both invoke operations share: finding the endpoint and an instance to serve the request,
// calling its container, and SageMaker's errors for what can go wrong on the way.
import type { IncomingMessage } from 'node:http';
import { AwsError } from '../../errors';
import type { RequestContext } from '../../operations';
import { ENDPOINT_LOG_GROUP_PREFIX, EndpointUnavailable, type Route } from '../../runtime/endpoints/endpointRuntime';
import type { InvocationRequest, ModelInstance } from '../../runtime/hosts/modelInstance';
import { endpointName, endpoints } from '../sagemaker/hosting/endpointRecords';
import { findResource } from '../sagemaker/common/resources';
import type { InvocationOutcome } from './invocationMetrics';

/** SageMaker gives a container 60 s to start answering an invocation. */
export const CONTAINER_RESPONSE_TIMEOUT_MS = 60_000;
/** How long a container whose connection failed may take to be seen exiting, for the failure to count as its death. */
const DEATH_NOTICE_MS = 1000;
/** The container name SageMaker's messages use for a single-container model. */
const CONTAINER = 'primary';

export interface Invocation {
  route: Route;
  response: IncomingMessage;
  /** Ends the container request early (the client went away). */
  abort(): void;
  /** The response has been read (or streamed) to its end: counts the invocation in the endpoint's metrics. */
  finished(): void;
}

export interface InvokeInput {
  EndpointName?: string;
  /** The protocol reads it as bytes. */
  Body?: unknown;
  ContentType?: string;
  Accept?: string;
  CustomAttributes?: string;
  TargetVariant?: string;
}

/** Routes the request and sends it to the container; resolves once the container starts answering 2xx. */
export async function invokeContainer(input: InvokeInput, context: RequestContext): Promise<Invocation> {
  const endpoint = findResource(context, endpoints, input.EndpointName ?? '');
  // SageMaker answers the same for an endpoint that does not exist and one that does not serve yet.
  if (!endpoint || (endpoint.status !== 'InService' && endpoint.status !== 'Updating')) {
    throw new AwsError('ValidationError', 400, `Endpoint ${input.EndpointName} of account ${context.accountId} not found.`);
  }
  if (input.TargetVariant !== undefined && !endpoint.variants.some((variant) => variant.name === input.TargetVariant)) {
    throw new AwsError('ValidationError', 400, `Endpoint ${endpointName(endpoint)} does not have a production variant named ${input.TargetVariant}.`);
  }
  /** Instances this invocation found dead: it is routed to the others. */
  const dead = new Set<ModelInstance>();
  const routeAround = (): Route => {
    try {
      return context.runtimes.endpoints.route(endpoint.arn, endpoint.variants, input.TargetVariant, dead);
    } catch (error) {
      if (!(error instanceof EndpointUnavailable)) throw error;
      context.runtimes.invocationMetrics.record({
        endpointArn: endpoint.arn,
        endpointName: endpointName(endpoint),
        variantName: input.TargetVariant ?? endpoint.variants[0]?.name ?? '',
        instanceCount: 0,
        outcome: 'serverError',
      });
      throw new AwsError('ServiceUnavailable', 503, `The endpoint ${endpointName(endpoint)} cannot serve the request now: ${error.message}. Try again.`);
    }
  };
  let route = routeAround();
  const received = Date.now();
  const count = (outcome: InvocationOutcome, modelLatencyMs?: number) =>
    context.runtimes.invocationMetrics.record({
      endpointArn: endpoint.arn,
      endpointName: endpointName(endpoint),
      variantName: route.variantName,
      instanceCount: endpoint.variants.find((variant) => variant.name === route.variantName)?.currentInstanceCount ?? 1,
      outcome,
      modelLatencyMs,
      overheadLatencyMs: modelLatencyMs === undefined ? undefined : Math.max(0, Date.now() - received - modelLatencyMs),
    });
  const logGroup = `${ENDPOINT_LOG_GROUP_PREFIX}${endpointName(endpoint)}`;
  const logGroupArn = `arn:aws:logs:${context.region}:${context.accountId}:log-group:${logGroup}`;
  const seeLogs = `See https://${context.region}.console.aws.amazon.com/cloudwatch/home?region=${context.region}#logEventViewer:group=${logGroup} in account ${context.accountId} for more information.`;

  const controller = new AbortController();
  const request: InvocationRequest = {
    body: Buffer.from((input.Body as Uint8Array | undefined) ?? new Uint8Array()),
    contentType: input.ContentType,
    accept: input.Accept,
    customAttributes: input.CustomAttributes,
    signal: controller.signal,
  };
  const timeout = setTimeout(() => controller.abort(), CONTAINER_RESPONSE_TIMEOUT_MS);
  const sent = Date.now();
  let response: IncomingMessage;
  try {
    for (;;) {
      try {
        response = await route.instance.invoke(request);
        break;
      } catch (error) {
        // A request that could not reach its instance, or whose instance was lost under it, goes to
        // another: the instance is dead (not slow, not crashed by this request, which is a ModelError).
        if (controller.signal.aborted || !deliveredNowhere(error, route.instance) || !(await route.instance.exitedWithin(DEATH_NOTICE_MS))) throw error;
        dead.add(route.instance);
        route = routeAround();
      }
    }
  } catch (error) {
    if (error instanceof AwsError) throw error;
    count('modelError');
    // As SageMaker words it, a timeout included (github.com/RamVegiraju/SageMaker-Deployment/issues/3).
    const reason = controller.signal.aborted
      ? `Your invocation timed out while waiting for a response from container ${CONTAINER}. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.`
      : (error as Error).message;
    throw modelError(`Received server error (0) from ${CONTAINER} with message "${reason}". ${seeLogs}`, { OriginalStatusCode: 0, LogStreamArn: logGroupArn });
  } finally {
    clearTimeout(timeout);
  }
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    count('modelError');
    const message = (await readLimited(response, 64 * 1024)).toString('utf8');
    const kind = status >= 500 ? 'server' : 'client';
    throw modelError(`Received ${kind} error (${status}) from ${CONTAINER} with message "${message}". ${seeLogs}`, {
      OriginalStatusCode: status,
      OriginalMessage: message,
      LogStreamArn: logGroupArn,
    });
  }
  return { route, response, abort: () => controller.abort(), finished: () => count('success', Date.now() - sent) };
}

/**
 * Whether a request failed without any container working on it: its connection was refused (it
 * never arrived), or cut because the instance was lost (killed from outside: the instance-failure
 * fault). A container that cuts the connection itself (it crashed on this request) is not retried
 * elsewhere, where it would crash the next instance too.
 */
function deliveredNowhere(error: unknown, instance: ModelInstance): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ECONNREFUSED') return true;
  return instance.lost && (code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up');
}

function modelError(message: string, fields: Record<string, string | number>): AwsError {
  return new AwsError('ModelError', 424, message, {}, fields);
}

/** The response body, up to `max` bytes (the rest is dropped). */
export async function readLimited(response: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (size >= max) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, max);
}

/** The headers of a container response that become output members. */
export function responseHeaders(response: IncomingMessage): { ContentType?: string; CustomAttributes?: string } {
  const customAttributes = response.headers['x-amzn-sagemaker-custom-attributes'];
  return {
    ContentType: response.headers['content-type'],
    CustomAttributes: Array.isArray(customAttributes) ? customAttributes.join(',') : customAttributes,
  };
}
