// Every length and range limit of every operation the emulator implements, at its edges, generated
// from the API models as validation is: for each constraint an input can reach (a name's length, a
// list's size, a count's range), a minimal valid request with that one value at min-1, min, max and
// max+1, sent over the wire (awsJson for SageMaker, CloudWatch Logs, Application Auto Scaling and
// CloudWatch; REST for SageMaker Runtime). At min and max the value is accepted — its place is not
// named in any length or range violation — and one past either edge is refused with the service's
// validation error naming that place and that limit in AWS's words. Plus the minimal request of every
// operation passes validation as a whole. One in-process emulator; the runtime does not run anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceModel, Shape } from '../../../emulator/models';
import { serviceModels } from '../../../emulator/models';
import { applicationAutoScalingOperations } from '../../../emulator/services/application-autoscaling';
import { cloudwatchOperations } from '../../../emulator/services/cloudwatch';
import { logsOperations } from '../../../emulator/services/logs';
import { sagemakerOperations } from '../../../emulator/services/sagemaker';
import { sagemakerRuntimeOperations } from '../../../emulator/services/sagemaker-runtime';
import { authorization, jsonTargetHeaders, rawRequest, type RawResponse, startTestEmulator, type TestEmulator } from '../helpers';
import { type LimitSite, limitSites, minimalInput, valueOfSize, violationsOf, withValueAt } from './modelRequests';

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

interface Edge {
  /** e.g. `max+1` */
  name: string;
  value: number;
  /** The words of the violation a value past the edge gets; undefined for a value at an edge. */
  refusedWith?: string;
}

const isLength = (shape: Shape) => shape.type === 'string' || shape.type === 'blob' || shape.type === 'list' || shape.type === 'map';

/** The values at and one past each edge of the site's constraint that the wire can carry. */
function edgesOf(shape: Shape): Edge[] {
  const what = isLength(shape) ? 'length' : 'value';
  const edges: Edge[] = [];
  const representable = (value: number) =>
    shape.type === 'integer' ? value >= INT32_MIN && value <= INT32_MAX : shape.type === 'long' ? Number.isSafeInteger(value) : isLength(shape) ? value >= 0 : Number.isFinite(value);
  const step = (value: number, direction: 1 | -1) =>
    shape.type === 'float' || shape.type === 'double' ? nextDouble(value, direction) : value + direction;
  if (shape.min !== undefined) {
    edges.push({ name: 'min', value: shape.min });
    const below = step(shape.min, -1);
    if (representable(below)) edges.push({ name: 'min-1', value: below, refusedWith: `Member must have ${what} greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined) {
    edges.push({ name: 'max', value: shape.max });
    const above = step(shape.max, 1);
    if (representable(above)) edges.push({ name: 'max+1', value: above, refusedWith: `Member must have ${what} less than or equal to ${shape.max}` });
  }
  return edges;
}

/** The nearest double above (or below) `value`: one past an edge of a float range. */
function nextDouble(value: number, direction: 1 | -1): number {
  if (value === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigInt64(0, view.getBigInt64(0) + BigInt((value > 0 ? 1 : -1) * direction));
  return view.getFloat64(0);
}

/** How AWS words a broken constraint at the site: directly, or inside its collection's constraint set. */
function wordedAt(site: LimitSite, constraint: string, words: string): boolean {
  switch (site.wording) {
    case 'member':
      return constraint === words;
    case 'list element':
      return constraint.startsWith('Member must satisfy constraint: [') && constraint.includes(words);
    case 'map key':
      return constraint.startsWith('Map keys must satisfy constraint: [') && constraint.includes(words);
    case 'map value':
      return constraint.startsWith('Map value must satisfy constraint: [') && constraint.includes(words);
  }
}

/** A value of the site at the edge, as it goes on the wire (a size for lengths, the number for ranges). */
function edgeValue(model: ServiceModel, site: LimitSite, edge: Edge): unknown {
  return isLength(site.shape) ? valueOfSize(model, site.shape, edge.value) : edge.value;
}

/** What the answer says about the site's limit: a mismatch to report, or undefined if it is right. */
function judge(model: ServiceModel, site: LimitSite, edge: Edge, response: { status: number; code?: string; message?: string }): string | undefined {
  const violations = violationsOf(response.message ?? '');
  const limitWords = isLength(site.shape) ? 'Member must have length' : 'Member must have value';
  const label = `${site.operation} ${site.messagePath} (${site.shapeName}) at ${edge.name} = ${edge.value}`;
  if (edge.refusedWith === undefined) {
    const named = violations.filter((violation) => violation.path === site.messagePath && wordedAt(site, violation.constraint, limitWords));
    return named.length ? `${label}: refused: ${named.map((violation) => violation.constraint).join('; ')}` : undefined;
  }
  const expectedCode = model.validationErrorCode ?? 'ValidationException';
  if (response.status !== 400 || response.code !== expectedCode) return `${label}: answered ${response.status} ${response.code}: ${response.message}`;
  const words = edge.refusedWith;
  return violations.some((violation) => violation.path === site.messagePath && wordedAt(site, violation.constraint, words))
    ? undefined
    : `${label}: expected "${words}" at '${site.messagePath}', got: ${response.message}`;
}

function errorOf(response: RawResponse): { status: number; code?: string; message?: string } {
  if (response.status < 300) return { status: response.status };
  const body = JSON.parse(response.body) as { __type?: string; message?: string; Message?: string };
  return { status: response.status, code: body.__type?.split('#').pop(), message: body.message ?? body.Message };
}

describe('every length and range limit of the API models, at its edges', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  const jsonServices = [
    { model: serviceModels.sagemaker, operations: sagemakerOperations },
    { model: serviceModels.logs, operations: logsOperations },
    { model: serviceModels['application-autoscaling'], operations: applicationAutoScalingOperations },
    { model: serviceModels.cloudwatch, operations: cloudwatchOperations },
  ];

  for (const { model, operations } of jsonServices) {
    describe(model.service, () => {
      const send = async (operation: string, input: unknown) =>
        errorOf(await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders(`${model.targetPrefix}.${operation}`, model.signingName, model.jsonVersion), body: JSON.stringify(input) }));

      for (const operation of Object.keys(operations).sort()) {
        it(`${operation}: its minimal request is valid; every limit holds at its edges`, async () => {
          const minimal = minimalInput(model, operation);
          const accepted = await send(operation, minimal);
          assert.deepEqual(violationsOf(accepted.message ?? ''), [], `the minimal ${operation} request ${JSON.stringify(minimal)} passes validation`);

          const inputShape = model.shapes[model.operations[operation].input!];
          const mismatches: string[] = [];
          let checked = 0;
          for (const site of limitSites(model, operation)) {
            for (const edge of edgesOf(site.shape)) {
              const request = withValueAt(model, inputShape, minimal, site.steps, edgeValue(model, site, edge));
              const mismatch = judge(model, site, edge, await send(operation, request));
              if (mismatch) mismatches.push(mismatch);
              checked++;
            }
          }
          assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} edges answered wrongly`);
        });
      }
    });
  }

  describe('sagemaker-runtime (REST: the endpoint name in the path, headers, the body)', () => {
    const model = serviceModels['sagemaker-runtime'];
    for (const operation of Object.keys(sagemakerRuntimeOperations).sort()) {
      it(`${operation}: every limit holds at its edges`, async () => {
        const input = model.shapes[model.operations[operation].input!];
        if (input.type !== 'structure') throw new Error(`${operation} input is not a structure`);
        const send = async (request: Record<string, unknown>) => {
          const headers: Record<string, string> = { ...authorization(model.signingName) };
          let path = model.operations[operation].http!.uri;
          let body: Buffer = Buffer.alloc(0);
          for (const [name, value] of Object.entries(request)) {
            const member = input.members[name];
            if (member.location === 'uri') path = path.replace(`{${member.locationName ?? name}}`, encodeURIComponent(String(value)));
            else if (member.location === 'header') headers[member.locationName ?? name] = String(value);
            else if (name === input.payload) body = Buffer.from(String(value), 'base64');
          }
          return errorOf(await rawRequest(emulator.url, { method: 'POST', path, headers, body }));
        };
        const minimal = minimalInput(model, operation);
        const accepted = await send(minimal);
        assert.deepEqual(violationsOf(accepted.message ?? ''), [], `the minimal ${operation} request passes validation`);
        const mismatches: string[] = [];
        let checked = 0;
        for (const site of limitSites(model, operation)) {
          for (const edge of edgesOf(site.shape)) {
            const request = withValueAt(model, input, minimal, site.steps, edgeValue(model, site, edge)) as Record<string, unknown>;
            const mismatch = judge(model, site, edge, await send(request));
            if (mismatch) mismatches.push(mismatch);
            checked++;
          }
        }
        assert.ok(checked >= 20, `the runtime's limits were found (${checked} edges)`);
        assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} edges answered wrongly`);
      });
    }
  });
});
