// A service that answers both awsJson and the query protocol on the same `POST /` (CloudWatch, whose
// model is awsQueryCompatible): each request is served, errors included, in the protocol it came in.
import type { IncomingMessage } from 'node:http';
import type { ServiceModel } from '../models';
import type { OperationTable } from '../operations';
import { awsJsonEndpoint } from './awsJson';
import { awsQueryEndpoint, isQueryRequest } from './awsQuery';
import type { ServiceEndpoint } from './endpoint';

export function awsJsonOrQueryEndpoint(model: ServiceModel, operations: OperationTable): ServiceEndpoint {
  const json = awsJsonEndpoint(model, operations);
  const query = awsQueryEndpoint(model, operations);
  const protocolOf = (request: IncomingMessage) => (isQueryRequest(request) ? query : json);
  return {
    handle: (request, response, context) => protocolOf(request).handle(request, response, context),
    writeError: (error, request, response, context) => protocolOf(request).writeError(error, request, response, context),
  };
}
