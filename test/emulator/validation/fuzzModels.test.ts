// Requests generated from the API models, for every operation of SageMaker, CloudWatch Logs and
// Application Auto Scaling the emulator implements: values of the right shape (often valid, sometimes
// at or past a bound) mixed with values of the wrong type. Each must get a response that is a success or
// an AWS-shaped client error (NotImplemented for patterns the emulator lacks) — never a 500 — and
// nothing may be logged as an internal error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServiceModel, type Shape, serviceModels } from '../../../emulator/models';
import { applicationAutoScalingOperations } from '../../../emulator/services/application-autoscaling';
import { cloudwatchOperations } from '../../../emulator/services/cloudwatch';
import { logsOperations } from '../../../emulator/services/logs';
import { sagemakerOperations } from '../../../emulator/services/sagemaker';
import { jsonTargetHeaders, rawRequest, seededRandom, startTestEmulator, type TestEmulator } from '../helpers';

const REQUESTS_PER_OPERATION = 12;

const random = seededRandom(20240917);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const WRONG_TYPES: readonly unknown[] = [null, true, -1, 1.5, '', 'x'.repeat(300), [], {}, 'arn:aws:sagemaker:us-east-1:000000000000:model/fuzz'];
const NAMES = ['fuzz', 'fuzz-2', 'Fuzz', 'endpoint/fuzz/variant/blue', '/fuzz/group', 'f/00000000000000000000000000000000000000000000000000000000'];

/** A value of `shape`, mostly well-formed; `depth` bounds nesting. */
function valueOf(model: ServiceModel, shape: Shape, depth: number): unknown {
  if (random() < 0.08) return pick(WRONG_TYPES);
  switch (shape.type) {
    case 'structure': {
      if (depth > 3) return {};
      const members = Object.entries(shape.members).filter(([name]) => shape.required?.includes(name) || random() < 0.4);
      return Object.fromEntries(members.map(([name, member]) => [name, valueOf(model, model.shapes[member.shape], depth + 1)]));
    }
    case 'list':
      return depth > 3 ? [] : Array.from({ length: pick([0, 1, 2, 3]) }, () => valueOf(model, model.shapes[shape.member.shape], depth + 1));
    case 'map':
      return depth > 3 ? {} : Object.fromEntries(Array.from({ length: pick([0, 1, 2]) }, (_, index) => [`k${index}`, valueOf(model, model.shapes[shape.value.shape], depth + 1)]));
    case 'string':
      return shape.enum ? pick([...shape.enum, 'NotAValue']) : pick(NAMES);
    case 'integer':
    case 'long':
      return pick([0, 1, 2, 10, 50, 101, -5, Date.now(), Date.now() - 30 * 86_400_000, shape.min ?? 0, shape.max ?? 100]);
    case 'float':
    case 'double':
      return pick([0, 0.5, 1, 70]);
    case 'boolean':
      return random() < 0.5;
    case 'timestamp':
      return pick([Date.now() / 1000, 0, 'yesterday']);
    case 'blob':
      return 'AAAA';
  }
}

describe('fuzzing the JSON services with model-shaped requests', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  const services = [
    { model: serviceModels.sagemaker, operations: sagemakerOperations },
    { model: serviceModels.logs, operations: logsOperations },
    { model: serviceModels['application-autoscaling'], operations: applicationAutoScalingOperations },
    { model: serviceModels.cloudwatch, operations: cloudwatchOperations },
  ];
  for (const { model, operations } of services) {
    it(`${model.service}: answers every request with success or an AWS-shaped client error`, async () => {
      const statuses = new Map<number, number>();
      for (const operation of Object.keys(operations)) {
        const input = model.shapes[model.operations[operation].input ?? ''];
        for (let index = 0; index < REQUESTS_PER_OPERATION; index++) {
          const body = JSON.stringify(input ? valueOf(model, input, 0) : {});
          const response = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders(`${model.targetPrefix}.${operation}`, undefined, model.jsonVersion), body });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          assert.ok(response.status < 500 || response.status === 501, `${operation} ${body} → ${response.status} ${response.body}`);
          if (response.status >= 300) {
            const error = JSON.parse(response.body) as { __type?: string; message?: string };
            assert.ok(typeof error.__type === 'string' && typeof error.message === 'string', `${operation} ${body} → ${response.body}`);
          }
        }
      }
      assert.ok((statuses.get(200) ?? 0) > 0, `some requests succeed: ${JSON.stringify([...statuses])}`);
      assert.deepEqual(emulator.logs, [], 'no internal errors were logged');
    });
  }
});
