// Generates emulator/models/generated/<service>.json from the published AWS API models in
// ../shared/aws-models (botocore JSON), or in this machine's botocore (`python3 -c 'import botocore'`)
// for services the shared models lack (STS). Run with `npm run generate:models`; the output is
// committed. Also generates protocols.json: every AWS service's signing name and wire protocol, so
// that a request for a service the emulator does not speak is answered in that service's protocol.
//
// Every operation of a service is listed (so the emulator can tell "unknown operation" from "known but
// not implemented"); shapes are emitted only for the operations in OPERATIONS below — inputs always
// (request validation and HTTP bindings), outputs too for REST protocols (response bindings).
// To implement a new operation: add it here, rerun the script, add its handler.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { botocoreDataDir, compilePattern, readModelFile } from '../../scripts/awsModels.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// AWS_MODELS_DIR: where the models are when the checkout is not beside them (a git worktree elsewhere).
const modelsRoot = process.env.AWS_MODELS_DIR ?? join(repoRoot, '..', 'shared', 'aws-models');
const outputDir = join(repoRoot, 'emulator', 'models', 'generated');

/** Operations the emulator implements or will implement, per service. */
const OPERATIONS = {
  sagemaker: [
    'CreateTrainingJob', 'DescribeTrainingJob', 'ListTrainingJobs', 'StopTrainingJob',
    'CreateProcessingJob', 'DescribeProcessingJob', 'ListProcessingJobs', 'StopProcessingJob',
    'CreateModel', 'DescribeModel', 'ListModels', 'DeleteModel',
    'CreateEndpointConfig', 'DescribeEndpointConfig', 'ListEndpointConfigs', 'DeleteEndpointConfig',
    'CreateEndpoint', 'DescribeEndpoint', 'ListEndpoints', 'UpdateEndpoint',
    'UpdateEndpointWeightsAndCapacities', 'DeleteEndpoint',
    'CreateModelPackageGroup', 'DescribeModelPackageGroup', 'ListModelPackageGroups', 'DeleteModelPackageGroup',
    'CreateModelPackage', 'DescribeModelPackage', 'ListModelPackages', 'UpdateModelPackage', 'DeleteModelPackage',
    'CreateTransformJob', 'DescribeTransformJob', 'ListTransformJobs', 'StopTransformJob',
    'AddTags', 'ListTags', 'DeleteTags',
  ],
  'sagemaker-runtime': ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'],
  s3: [
    'ListBuckets', 'CreateBucket', 'HeadBucket', 'DeleteBucket', 'GetBucketLocation',
    'PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'ListObjects', 'ListObjectsV2',
    'GetObjectTagging', 'GetObjectAcl',
    // Bucket configuration that clients read (rclone, s3cmd, the AWS CLI, boto3's resource), answered as
    // for a bucket with none.
    'GetBucketVersioning', 'GetBucketAcl', 'GetBucketCors', 'GetBucketLifecycleConfiguration', 'GetBucketPolicy',
    'GetBucketPolicyStatus', 'GetBucketTagging', 'GetBucketEncryption', 'GetPublicAccessBlock', 'GetBucketOwnershipControls',
    'GetBucketWebsite', 'GetBucketLogging', 'GetBucketNotificationConfiguration', 'GetBucketRequestPayment',
    'GetBucketAccelerateConfiguration', 'GetObjectLockConfiguration', 'GetBucketReplication',
    'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload',
    'ListParts', 'ListMultipartUploads',
  ],
  logs: [
    'CreateLogGroup', 'DescribeLogGroups', 'DeleteLogGroup', 'CreateLogStream', 'DescribeLogStreams',
    'PutLogEvents', 'GetLogEvents', 'FilterLogEvents',
  ],
  'application-autoscaling': [
    'RegisterScalableTarget', 'DescribeScalableTargets', 'DeregisterScalableTarget', 'PutScalingPolicy',
    'DescribeScalingPolicies', 'DeleteScalingPolicy', 'DescribeScalingActivities',
  ],
  cloudwatch: ['PutMetricData', 'GetMetricData', 'GetMetricStatistics', 'ListMetrics'],
  sts: ['GetCallerIdentity'],
};

const API_VERSIONS = {
  sagemaker: '2017-07-24',
  'sagemaker-runtime': '2017-05-13',
  s3: '2006-03-01',
  logs: '2014-03-28',
  'application-autoscaling': '2016-02-06',
  cloudwatch: '2010-08-01',
  sts: '2011-06-15',
};

/**
 * SageMaker prints its patterns in validation messages with a leading `^` (its own model has it; the
 * botocore copy dropped it), e.g. `...regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
 */
const PATTERN_MESSAGE_PREFIX = { sagemaker: '^' };

/**
 * The error code of a request that breaks the model's constraints, where the service does not use
 * `ValidationException`: CloudWatch Logs answers `InvalidParameterException`, SageMaker Runtime
 * `ValidationError`, in the same words.
 */
const VALIDATION_ERROR_CODES = { logs: 'InvalidParameterException', 'sagemaker-runtime': 'ValidationError' };

/**
 * Services whose model offers several protocols: the one the emulator serves (the one the JavaScript
 * SDK speaks). CloudWatch's model lists smithy-rpc-v2-cbor first; SDK v3 speaks awsJson 1.0 to it.
 */
const SERVED_PROTOCOLS = { cloudwatch: 'json' };

/**
 * Services that also answer the query protocol (form-encoded requests, XML responses), because older
 * clients still speak it to them (the AWS CLI v2 of Debian 12 does, for CloudWatch). Their output
 * shapes are generated too, for the XML.
 */
const QUERY_SERVICES = ['cloudwatch', 'sts'];

/** S3's XML response root elements, which the model does not name. Default: `<Operation>Result`. */
const S3_XML_ROOTS = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketAcl: 'AccessControlPolicy',
  GetObjectAcl: 'AccessControlPolicy',
  GetBucketLogging: 'BucketLoggingStatus',
  GetBucketNotificationConfiguration: 'NotificationConfiguration',
  GetBucketRequestPayment: 'RequestPaymentConfiguration',
  GetBucketAccelerateConfiguration: 'AccelerateConfiguration',
  GetBucketCors: 'CORSConfiguration',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  GetBucketTagging: 'Tagging',
  GetBucketWebsite: 'WebsiteConfiguration',
  // The root element holds the value itself: <LocationConstraint>eu-west-1</LocationConstraint>.
  GetBucketLocation: 'LocationConstraint',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
  GetObjectTagging: 'Tagging',
};

/**
 * Operations that share method and URI with another one and are reached through another host, so a
 * path-style request never means them (ListDirectoryBuckets is S3 Express's `GET /` on its control
 * endpoint). Deprecated operations are dropped from routing too: each is an alias of a current one.
 */
const UNROUTABLE = { s3: ['ListDirectoryBuckets'] };

const MEMBER_BINDING_KEYS = ['location', 'locationName', 'streaming', 'flattened', 'xmlNamespace', 'xmlAttribute', 'timestampFormat', 'eventpayload'];

function loadModel(service) {
  const shared = join(modelsRoot, service, API_VERSIONS[service]);
  return readModelFile(existsSync(shared) ? shared : join(botocoreDataDir(), service, API_VERSIONS[service]));
}

/**
 * Every service botocore knows: signing name → its wire protocol (the first the model lists, the one
 * SDKs speak) and what its errors carry (JSON version, target prefix, XML namespace).
 */
function generateProtocols() {
  const protocols = {};
  for (const service of readdirSync(botocoreDataDir(), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    const versions = readdirSync(join(botocoreDataDir(), service)).filter((entry) => /^\d{4}-\d\d-\d\d$/.test(entry)).sort();
    if (!versions.length) continue;
    const model = readModelFile(join(botocoreDataDir(), service, versions.at(-1)));
    const { metadata } = model;
    const signingName = metadata.signingName ?? metadata.endpointPrefix;
    if (protocols[signingName]) continue;
    // REST-XML models name their namespace on their operations' request bodies, not in metadata.
    const xmlNamespace = metadata.xmlNamespace ?? Object.values(model.operations).find((operation) => operation.input?.xmlNamespace?.uri)?.input.xmlNamespace.uri;
    protocols[signingName] = {
      serviceId: metadata.serviceId,
      protocol: metadata.protocols?.[0] ?? metadata.protocol,
      ...(xmlNamespace ? { xmlNamespace } : {}),
    };
  }
  const lines = Object.entries(protocols).map(([name, entry]) => `  ${JSON.stringify(name)}: ${JSON.stringify(entry)}`);
  writeFileSync(join(outputDir, 'protocols.json'), `{\n${lines.join(',\n')}\n}\n`);
  console.log(`protocols: ${Object.keys(protocols).length} signing names`);
}

function pick(source, keys) {
  const result = {};
  for (const key of keys) if (source[key] !== undefined) result[key] = source[key];
  return result;
}

function isRest(protocol) {
  return protocol === 'rest-xml' || protocol === 'rest-json';
}

function operationEntry(service, model, operation) {
  const entry = {};
  if (isRest(model.metadata.protocol)) {
    const http = { method: operation.http.method, uri: operation.http.requestUri };
    if (operation.http.responseCode) http.status = operation.http.responseCode;
    const input = operation.input && model.shapes[operation.input.shape];
    const required = new Set(input?.required ?? []);
    const requiredQuery = [];
    const requiredHeaders = [];
    for (const [name, member] of Object.entries(input?.members ?? {})) {
      if (!required.has(name)) continue;
      if (member.location === 'querystring') requiredQuery.push(member.locationName);
      if (member.location === 'header') requiredHeaders.push(member.locationName.toLowerCase());
    }
    if (requiredQuery.length) http.requiredQuery = requiredQuery;
    if (requiredHeaders.length) http.requiredHeaders = requiredHeaders;
    if (operation.deprecated || UNROUTABLE[service]?.includes(operation.name)) http.routable = false;
    entry.http = http;
  }
  if (operation.input) entry.input = operation.input.shape;
  if (operation.output) entry.output = operation.output.shape;
  // S3 refuses these without Content-MD5 or an x-amz-checksum-* of the body (DeleteObjects).
  if (operation.httpChecksumRequired || operation.httpChecksum?.requestChecksumRequired) entry.checksumRequired = true;
  if (QUERY_SERVICES.includes(service) && operation.output?.resultWrapper) entry.resultWrapper = operation.output.resultWrapper;
  if (model.metadata.protocol === 'rest-xml' && operation.output) {
    const output = model.shapes[operation.output.shape];
    if (!output.payload) entry.xmlRoot = S3_XML_ROOTS[operation.name] ?? `${operation.name}Result`;
  }
  entry.errors = (operation.errors ?? []).map((error) => error.shape);
  return entry;
}

function shapeEntry(service, shape, skippedPatterns) {
  const entry = { type: shape.type };
  switch (shape.type) {
    case 'structure':
      if (shape.required?.length) entry.required = shape.required;
      entry.members = Object.fromEntries(
        Object.entries(shape.members).map(([name, member]) => [
          name,
          { shape: member.shape, ...pick(member, MEMBER_BINDING_KEYS) },
        ]),
      );
      if (shape.payload) entry.payload = shape.payload;
      if (shape.union) entry.union = true;
      // An event stream's union (SageMaker Runtime's ResponseStream): members are its event types.
      if (shape.eventstream) entry.eventstream = true;
      // S3's Grantee declares the xsi namespace its xsi:type attribute needs.
      if (shape.xmlNamespace) entry.xmlNamespace = shape.xmlNamespace;
      break;
    case 'list':
      entry.member = { shape: shape.member.shape, ...pick(shape.member, ['locationName']) };
      if (shape.flattened) entry.flattened = true;
      break;
    case 'map':
      entry.key = { shape: shape.key.shape, ...pick(shape.key, ['locationName']) };
      entry.value = { shape: shape.value.shape, ...pick(shape.value, ['locationName']) };
      if (shape.flattened) entry.flattened = true;
      break;
    case 'string':
      if (shape.enum) entry.enum = shape.enum;
      if (shape.pattern) {
        entry.pattern = `${PATTERN_MESSAGE_PREFIX[service] ?? ''}${shape.pattern}`;
        const regex = compilePattern(shape.pattern, skippedPatterns);
        if (regex) entry.regex = regex;
      }
      break;
    default:
      break;
  }
  Object.assign(entry, pick(shape, ['min', 'max', 'streaming', 'timestampFormat', 'locationName']));
  return entry;
}

function reachableShapes(model, roots) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const shape = model.shapes[name];
    for (const member of Object.values(shape.members ?? {})) visit(member.shape);
    if (shape.member) visit(shape.member.shape);
    if (shape.key) visit(shape.key.shape);
    if (shape.value) visit(shape.value.shape);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

function assertRoutesAreUnambiguous(service, operations) {
  const signatures = new Map();
  for (const [name, { http }] of Object.entries(operations)) {
    if (!http || http.routable === false) continue;
    const signature = [http.method, http.uri, ...(http.requiredQuery ?? []), ...(http.requiredHeaders ?? [])].join(' ');
    if (signatures.has(signature)) {
      throw new Error(`${service}: ${name} and ${signatures.get(signature)} share the route "${signature}"`);
    }
    signatures.set(signature, name);
  }
}

/**
 * awsQueryCompatible services (CloudWatch) name their errors by shape in JSON (`__type`) and by their
 * query code in the `x-amzn-query-error` header and in query-protocol XML: shape name → query code.
 */
function queryErrorCodes(model) {
  // Model violations: newer CloudWatch models (the SDK's) declare this shape; the botocore copy lacks it.
  const codes = { ValidationException: 'ValidationError' };
  for (const [name, shape] of Object.entries(model.shapes).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (shape.exception && shape.error?.code && shape.error.code !== name) codes[name] = shape.error.code;
  }
  return codes;
}

/** One operation or shape per line: compact, yet diffs stay readable. */
function formatModel(model) {
  const block = (entries) =>
    `{\n${Object.entries(entries).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(',\n')}\n  }`;
  const header = Object.entries(model)
    .filter(([key]) => key !== 'operations' && key !== 'shapes')
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${[...header, `  "operations": ${block(model.operations)}`, `  "shapes": ${block(model.shapes)}`].join(',\n')}\n}\n`;
}

function generate(service) {
  const model = loadModel(service);
  const { metadata } = model;
  const operations = {};
  for (const name of Object.keys(model.operations).sort()) {
    operations[name] = operationEntry(service, model, model.operations[name]);
  }
  assertRoutesAreUnambiguous(service, operations);

  const roots = [];
  for (const name of OPERATIONS[service]) {
    const operation = model.operations[name];
    if (!operation) throw new Error(`${service}: no operation ${name} in the API model`);
    if (operation.input) roots.push(operation.input.shape);
    if ((isRest(metadata.protocol) || QUERY_SERVICES.includes(service)) && operation.output) roots.push(operation.output.shape);
  }
  const skippedPatterns = new Set();
  const shapes = Object.fromEntries(
    reachableShapes(model, roots).map((name) => [name, shapeEntry(service, model.shapes[name], skippedPatterns)]),
  );

  const protocol = SERVED_PROTOCOLS[service] ?? metadata.protocol;
  const generated = {
    service,
    apiVersion: metadata.apiVersion,
    protocol,
    ...(protocol === 'json' ? { jsonVersion: metadata.jsonVersion ?? '1.0' } : {}),
    signingName: metadata.signingName ?? metadata.endpointPrefix,
    ...(metadata.targetPrefix ? { targetPrefix: metadata.targetPrefix } : {}),
    ...(VALIDATION_ERROR_CODES[service] ? { validationErrorCode: VALIDATION_ERROR_CODES[service] } : {}),
    ...(metadata.protocol === 'rest-xml' || QUERY_SERVICES.includes(service)
      ? { xmlNamespace: metadata.xmlNamespace ?? `http://${metadata.endpointPrefix}.amazonaws.com/doc/${metadata.apiVersion}/` }
      : {}),
    ...(metadata.awsQueryCompatible ? { queryErrorCodes: queryErrorCodes(model) } : {}),
    operations,
    shapes,
  };
  writeFileSync(join(outputDir, `${service}.json`), formatModel(generated));
  const skipped = skippedPatterns.size ? `; patterns JavaScript cannot express (not checked): ${[...skippedPatterns].join('  ')}` : '';
  console.log(`${service}: ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes${skipped}`);
}

mkdirSync(outputDir, { recursive: true });
for (const service of Object.keys(OPERATIONS)) generate(service);
generateProtocols();
