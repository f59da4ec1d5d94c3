// AWS Query, which CloudWatch still answers beside awsJson 1.0 because older clients speak it (the AWS
// CLI v2 of Debian 12 does): `POST /` with a form-encoded body `Action=<Operation>&Version=<api>&…`,
// nested members as `Parent.Child`, lists as `Name.member.N` (1-based), maps as
// `Name.entry.N.key`/`.value`; timestamps ISO 8601. Responses are XML:
//   <OperationResponse xmlns="…"><OperationResult>…</OperationResult>
//     <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OperationResponse>
// and errors `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
// <RequestId>…</RequestId></ErrorResponse>`, with the query code of the error (see queryErrorCode).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, toAwsError } from '../errors';
import { excerpt } from '../excerpt';
import { type ServiceModel, type Shape, shapeOf } from '../models';
import { type OperationTable, findHandler, runHandler } from '../operations';
import { splitUrl } from '../routing';
import { validate } from '../validation';
import { decodedBody, readBody, type ServiceEndpoint, startErrorResponse } from './endpoint';
import { textToValue } from './httpBindings';
import { buildXml, escapeXmlText, shapeToXml } from './xml';

const MAX_BODY_BYTES = 1024 * 1024;

/** Whether a request to a service that speaks both is a query one: no `X-Amz-Target`, and a form body or a GET. */
export function isQueryRequest(request: IncomingMessage): boolean {
  if (request.headers['x-amz-target'] !== undefined) return false;
  return request.method === 'GET' || /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
}

export function awsQueryEndpoint(model: ServiceModel, operations: OperationTable): ServiceEndpoint {
  return {
    async handle(request, response, context) {
      const raw = await readBody(request, MAX_BODY_BYTES, bodyTooLarge);
      const body = decodedBody(request, raw, MAX_BODY_BYTES, bodyTooLarge, () => malformed('The request body is not valid gzip'));
      // The parameters are the form body of a POST, or the query string of a GET.
      const params = request.method === 'GET' ? splitUrl(request.url).query : new URLSearchParams(body.toString('utf8'));
      const operation = params.get('Action') ?? '';
      if (!Object.hasOwn(model.operations, operation)) throw invalidAction(operation);
      const handler = findHandler(model, operations, operation);
      const { input: inputShape, output: outputShape, resultWrapper } = model.operations[operation];
      const input = inputShape ? fromQuery(model, shapeOf(model, inputShape), new QueryParams(params), '') : {};
      if (inputShape) validate(model, inputShape, input);
      const output = (await runHandler(handler, input ?? {}, context, operation)) as Record<string, unknown>;
      const document: Record<string, unknown> = { '@_xmlns': model.xmlNamespace };
      if (outputShape) document[resultWrapper ?? `${operation}Result`] = shapeToXml(model, shapeOf(model, outputShape), output);
      document.ResponseMetadata = { RequestId: context.requestId };
      writeXml(response, 200, context.requestId, buildXml({ [`${operation}Response`]: document }));
    },
    writeError(error, _request, response, context) {
      const awsError = toAwsError(error, 'InternalFailure', context.log, model.service);
      writeQueryError(response, model.xmlNamespace, awsError, queryErrorCode(model, awsError), context.requestId);
    },
  };
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, the query protocol's error. */
export function writeQueryError(response: ServerResponse, xmlNamespace: string | undefined, error: AwsError, code: string, requestId: string): void {
  if (!startErrorResponse(response)) return;
  const body = buildXml({
    ErrorResponse: {
      ...(xmlNamespace && { '@_xmlns': xmlNamespace }),
      Error: { Type: queryFault(error), Code: code, Message: escapeXmlText(error.message) },
      RequestId: requestId,
    },
  });
  writeXml(response, error.status, requestId, body);
}

/**
 * The query codes of AWS's common errors, which no model lists: throttling is `Throttling` ("Error
 * Code: Throttling; … Rate exceeded" from CloudWatch in wellcomecollection/platform#644, aws-sdk-js#1822).
 */
const COMMON_QUERY_ERROR_CODES: Readonly<Record<string, string>> = { ThrottlingException: 'Throttling' };

/** The code an error has in the query protocol (and in awsJson's `x-amzn-query-error`): `InvalidParameterValue` for `InvalidParameterValueException`. */
export function queryErrorCode(model: ServiceModel, error: AwsError): string {
  const modelled = model.queryErrorCodes && Object.hasOwn(model.queryErrorCodes, error.code) && model.queryErrorCodes[error.code];
  return modelled || (Object.hasOwn(COMMON_QUERY_ERROR_CODES, error.code) ? COMMON_QUERY_ERROR_CODES[error.code] : error.code);
}

/** `x-amzn-query-error: <code>;<Sender|Receiver>`. */
export function queryErrorHeader(model: ServiceModel, error: AwsError): string {
  return `${queryErrorCode(model, error)};${queryFault(error)}`;
}

function queryFault(error: AwsError): 'Sender' | 'Receiver' {
  return error.status < 500 ? 'Sender' : 'Receiver';
}

function invalidAction(action: string): AwsError {
  return new AwsError(
    action ? 'InvalidAction' : 'MissingAction',
    400,
    action ? `The action ${excerpt(action)} is not valid for this web service.` : 'The request must contain the parameter Action.',
  );
}

function bodyTooLarge(): AwsError {
  return new AwsError('RequestEntityTooLarge', 413, `Request body must not exceed ${MAX_BODY_BYTES} bytes`);
}

function malformed(message: string): AwsError {
  return new AwsError('MalformedInput', 400, message);
}

/** The form's parameters, and every dotted prefix of their names, so that presence checks are O(1). */
class QueryParams {
  private readonly prefixes = new Set<string>();

  constructor(private readonly params: URLSearchParams) {
    for (const name of params.keys()) {
      for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) this.prefixes.add(name.slice(0, dot));
    }
  }

  value(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** Whether `name` is given itself or has members (`name.…`). */
  has(name: string): boolean {
    return this.params.has(name) || this.prefixes.has(name);
  }
}

/** The parameters under `prefix` as a value of `shape`. */
function fromQuery(model: ServiceModel, shape: Shape, params: QueryParams, prefix: string): unknown {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  switch (shape.type) {
    case 'structure': {
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const key = at(member.locationName ?? name);
        if (!params.has(key)) continue;
        result[name] = fromQuery(model, shapeOf(model, member.shape), params, key);
      }
      return result;
    }
    case 'list': {
      // `Name=` (nothing under it) is how an empty list is sent.
      const base = shape.flattened ? prefix : `${prefix}.${shape.member.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let index = 1; params.has(`${base}.${index}`); index++) {
        items.push(fromQuery(model, shapeOf(model, shape.member.shape), params, `${base}.${index}`));
      }
      return items;
    }
    case 'map': {
      const base = shape.flattened ? prefix : `${prefix}.entry`;
      const entries: [string, unknown][] = [];
      for (let index = 1; params.has(`${base}.${index}`); index++) {
        const key = params.value(`${base}.${index}.${shape.key.locationName ?? 'key'}`) ?? '';
        entries.push([key, fromQuery(model, shapeOf(model, shape.value.shape), params, `${base}.${index}.${shape.value.locationName ?? 'value'}`)]);
      }
      return Object.fromEntries(entries);
    }
    default:
      return textToValue(shape, params.value(prefix) ?? '', prefix, malformed);
  }
}

function writeXml(response: ServerResponse, status: number, requestId: string, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': requestId });
  response.end(body);
}
