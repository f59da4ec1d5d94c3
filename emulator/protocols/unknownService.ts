// A request signed for a service the emulator does not speak (IAM, Lambda, DynamoDB, …) is answered
// with an error in that service's own wire protocol, naming it, so its client reports "not
// implemented by the emulator" rather than failing to parse another service's error (S3's 405, as
// before). The protocol comes from the service's model: every botocore service's signing name and
// protocol are in models/generated/protocols.json.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cbor } from '@smithy/core/cbor';
import { AwsError } from '../errors';
import protocols from '../models/generated/protocols.json';
import { splitUrl } from '../routing';
import { writeJsonError } from './awsJson';
import { writeQueryError } from './awsQuery';
import { readBody, startErrorResponse } from './endpoint';
import { buildXml, escapeXmlText } from './xml';

interface ServiceProtocol {
  serviceId: string;
  protocol: string;
  xmlNamespace?: string;
}

const PROTOCOLS: Readonly<Record<string, ServiceProtocol>> = protocols;
const SPOKEN = 'SageMaker, SageMaker Runtime, S3, CloudWatch Logs, CloudWatch, Application Auto Scaling and STS (GetCallerIdentity)';
/** Query bodies are small forms; more is not read. */
const MAX_FORM_BYTES = 1024 * 1024;

/** `refusal`: the error to answer instead of NotImplemented (the front door refused the request). */
export async function writeUnknownServiceError(
  request: IncomingMessage,
  response: ServerResponse,
  signingName: string,
  requestId: string,
  refusal?: AwsError,
): Promise<void> {
  const known = Object.hasOwn(PROTOCOLS, signingName) ? PROTOCOLS[signingName] : undefined;
  const isForm = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
  const protocol = known?.protocol ?? (isForm ? 'query' : 'rest-json');
  const name = known ? `${known.serviceId} (${signingName})` : signingName;
  // The query protocols name the operation in the form (or the URL): say which.
  const action = !refusal && (protocol === 'query' || protocol === 'ec2') ? await queryAction(request) : undefined;
  const error =
    refusal ?? new AwsError('NotImplemented', 501, `The emulator does not implement ${name}${action ? `, operation ${action}` : ''}: it speaks ${SPOKEN}.`);
  switch (protocol) {
    case 'query':
      writeQueryError(response, known?.xmlNamespace, error, error.code, requestId);
      return;
    case 'ec2':
      writeXml(response, error, buildXml({ Response: { Errors: { Error: { Code: error.code, Message: escapeXmlText(error.message) } }, RequestID: requestId } }), requestId);
      return;
    case 'rest-xml':
      writeXml(
        response,
        error,
        buildXml({
          ErrorResponse: {
            ...(known?.xmlNamespace && { '@_xmlns': known.xmlNamespace }),
            Error: { Type: 'Receiver', Code: error.code, Message: escapeXmlText(error.message) },
            RequestId: requestId,
          },
        }),
        requestId,
      );
      return;
    case 'smithy-rpc-v2-cbor':
      writeCborError(response, error, requestId);
      return;
    default:
      // json (awsJson without a target we know) and rest-json: the JSON error with x-amzn-ErrorType.
      writeJsonError(response, error, requestId, 'application/json');
  }
}

/** The Action of a query request: in its form body, or its URL for a GET. */
async function queryAction(request: IncomingMessage): Promise<string | undefined> {
  const fromUrl = splitUrl(request.url).query.get('Action');
  if (fromUrl || request.method === 'GET') return fromUrl ?? undefined;
  const body = await readBody(request, MAX_FORM_BYTES, () => new AwsError('RequestEntityTooLarge', 413, 'Request body too large')).catch(() => Buffer.alloc(0));
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
}

function writeXml(response: ServerResponse, error: AwsError, body: string, requestId: string): void {
  if (!startErrorResponse(response)) return;
  response.writeHead(error.status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': requestId });
  response.end(body);
}

/** Smithy RPC v2 CBOR: the error shape's __type and message, CBOR-encoded. */
function writeCborError(response: ServerResponse, error: AwsError, requestId: string): void {
  if (!startErrorResponse(response)) return;
  const body = Buffer.from(cbor.serialize({ __type: error.code, message: error.message }));
  response.writeHead(error.status, { 'Content-Type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'Content-Length': body.length, 'x-amzn-RequestId': requestId });
  response.end(body);
}
