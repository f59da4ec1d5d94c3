// REST-JSON (SageMaker Runtime). So far only routing and errors: every operation of the model answers
// `NotImplemented` by name. Input/output bindings and event streams come with InvokeEndpoint.
import { AwsError, notImplemented, toAwsError } from '../errors';
import type { ServiceModel } from '../models';
import { splitUrl } from '../routing';
import { writeJsonError } from './awsJson';
import type { ServiceEndpoint } from './endpoint';
import { compileRoutes, matchRoute } from './httpBindings';

export function restJsonEndpoint(model: ServiceModel): ServiceEndpoint {
  const routes = compileRoutes(model);
  return {
    async handle(request) {
      const { path, query } = splitUrl(request.url);
      const match = matchRoute(routes, { method: request.method ?? 'GET', path, query, headers: request.headers });
      if (!match) throw new AwsError('UnknownOperationException', 404, `No ${model.service} operation at ${request.method} ${path}`);
      throw notImplemented(model.service, match.operation);
    },
    writeError(error, _request, response, context) {
      writeJsonError(response, toAwsError(error, 'InternalFailure', context.log), context.requestId, 'application/json');
    },
  };
}
