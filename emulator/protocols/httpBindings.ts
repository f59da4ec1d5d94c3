// HTTP bindings shared by the REST protocols (rest-xml for S3, rest-json for SageMaker Runtime):
// which operation a method + URI template + query literals select, and how input and output members
// map onto labels, query parameters and headers. Bodies are each protocol's own business.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AwsError } from '../errors';
import { type MemberRef, type ServiceModel, type Shape, type StructureShape, shapeOf } from '../models';

interface CompiledRoute {
  operation: string;
  method: string;
  path: RegExp;
  labels: string[];
  /** `?uploads` → ['uploads', undefined]; `?list-type=2` → ['list-type', '2']. */
  queryLiterals: [string, string | undefined][];
  requiredQuery: string[];
  requiredHeaders: string[];
}

export interface RouteMatch {
  operation: string;
  /** URI label values, still percent-encoded. */
  labels: Record<string, string>;
}

export interface RequestParts {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** The REST routes of a model's operations, most specific first. */
export function compileRoutes(model: ServiceModel): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const [operation, { http }] of Object.entries(model.operations)) {
    if (!http || http.routable === false) continue;
    const [pathTemplate, queryTemplate = ''] = http.uri.split('?');
    const labels: string[] = [];
    const pattern = pathTemplate.replace(/\{(\w+)(\+?)\}|[^{]+/g, (text, label: string | undefined, greedy: string) => {
      if (!label) return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      labels.push(label);
      return greedy ? '(.+)' : '([^/]+)';
    });
    routes.push({
      operation,
      method: http.method,
      // A trailing slash is tolerated: `/bucket/` is the bucket.
      path: new RegExp(`^${pattern}/?$`, 's'),
      labels,
      queryLiterals: queryTemplate
        .split('&')
        .filter(Boolean)
        .map((pair) => {
          const [name, value] = pair.split('=');
          return [name, value];
        }),
      requiredQuery: http.requiredQuery ?? [],
      requiredHeaders: http.requiredHeaders ?? [],
    });
  }
  const specificity = (route: CompiledRoute) =>
    route.queryLiterals.length + route.requiredQuery.length + route.requiredHeaders.length;
  return routes.sort((a, b) => specificity(b) - specificity(a));
}

export function matchRoute(routes: CompiledRoute[], request: RequestParts): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const match = route.path.exec(request.path);
    if (!match) continue;
    const { query, headers } = request;
    if (!route.queryLiterals.every(([name, value]) => query.has(name) && (value === undefined || query.get(name) === value))) continue;
    if (!route.requiredQuery.every((name) => query.has(name))) continue;
    if (!route.requiredHeaders.every((name) => headers[name] !== undefined)) continue;
    return {
      operation: route.operation,
      labels: Object.fromEntries(route.labels.map((label, index) => [label, match[index + 1]])),
    };
  }
  return undefined;
}

/** Input members bound to URI labels, query parameters and headers, converted to their shapes' types. */
export function readBoundMembers(
  model: ServiceModel,
  input: StructureShape,
  request: RequestParts & { labels: Record<string, string> },
  invalid: (message: string) => AwsError,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(input.members)) {
    const locationName = member.locationName ?? name;
    const shape = shapeOf(model, member.shape);
    let value: unknown;
    switch (member.location) {
      case 'uri': {
        const raw = request.labels[locationName];
        try {
          value = raw === undefined ? undefined : decodeURIComponent(raw);
        } catch {
          throw invalid(`The URI segment for ${locationName} is not valid percent-encoding`);
        }
        break;
      }
      case 'querystring':
        value =
          shape.type === 'list'
            ? listFromText(model, shape.member, request.query.getAll(locationName), invalid)
            : textToValue(shape, request.query.get(locationName) ?? undefined, locationName, invalid);
        break;
      case 'header': {
        const text = headerText(request.headers, locationName);
        value =
          shape.type === 'list' && text !== undefined
            ? listFromText(model, shape.member, text.split(','), invalid)
            : textToValue(shape, text, locationName, invalid);
        break;
      }
      case 'headers':
        value = prefixedHeaders(request.headers, locationName.toLowerCase());
        break;
      default:
        continue;
    }
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** Sets the response headers that output members are bound to. */
export function writeBoundMembers(
  model: ServiceModel,
  output: StructureShape | undefined,
  values: Record<string, unknown>,
  response: ServerResponse,
): void {
  for (const [name, member] of Object.entries(output?.members ?? {})) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const locationName = member.locationName ?? name;
    if (member.location === 'header') {
      response.setHeader(locationName, valueToText(shapeOf(model, member.shape), member, value));
    } else if (member.location === 'headers' && typeof value === 'object') {
      for (const [key, text] of Object.entries(value)) response.setHeader(`${locationName}${key}`, String(text));
    }
  }
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

function prefixedHeaders(headers: IncomingHttpHeaders, prefix: string): Record<string, string> | undefined {
  const entries = Object.entries(headers)
    .filter(([name]) => name.startsWith(prefix) && name.length > prefix.length)
    .map(([name, value]) => [name.slice(prefix.length), Array.isArray(value) ? value.join(',') : String(value)]);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function listFromText(model: ServiceModel, member: MemberRef, texts: string[], invalid: (message: string) => AwsError): unknown[] | undefined {
  if (texts.length === 0) return undefined;
  const shape = shapeOf(model, member.shape);
  return texts.map((text) => textToValue(shape, text.trim(), member.locationName ?? member.shape, invalid));
}

/** A header, query or XML text as a value of the shape's type. */
export function textToValue(shape: Shape, text: string | undefined, where: string, invalid: (message: string) => AwsError): unknown {
  if (text === undefined) return undefined;
  switch (shape.type) {
    case 'integer':
    case 'long': {
      const number = Number(text);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(number)) throw invalid(`${where} must be an integer`);
      return number;
    }
    case 'float':
    case 'double': {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number)) throw invalid(`${where} must be a number`);
      return number;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid(`${where} must be true or false`);
      return text === 'true';
    case 'timestamp': {
      const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
      if (Number.isNaN(date.getTime())) throw invalid(`${where} must be a date`);
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

/** Header text of a value: dates as HTTP dates unless the model asks otherwise, lists comma-separated. */
function valueToText(shape: Shape, member: MemberRef, value: unknown): string {
  if (value instanceof Date) {
    const format = member.timestampFormat ?? (shape.type === 'timestamp' ? shape.timestampFormat : undefined);
    return format === 'iso8601' ? value.toISOString() : format === 'unixTimestamp' ? String(value.getTime() / 1000) : value.toUTCString();
  }
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}
