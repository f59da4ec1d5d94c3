// Unit tests of src's pricing: the pure logic behind the extension's pricing, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatCost, formatUsd, hourlyCost, hourlyPrice, parsePriceOverrides, PRICE_TABLE, totalCost } from '../../../../src/pipeline/pricing';

it('looks up an instance type\'s on-demand price in the table\'s region, and knows no other region', () => {
  assert.equal(hourlyPrice('ml.g5.xlarge', 'us-east-1'), 1.4084);
  assert.equal(hourlyPrice('ml.m5.xlarge', 'us-east-1'), 0.23);
  assert.equal(hourlyPrice('ml.g5.xlarge', 'eu-west-1'), undefined, 'no price is guessed for another region');
  assert.equal(hourlyPrice('ml.m5.large', 'us-east-1'), undefined, 'a type the source does not list is unknown');
  assert.equal(hourlyPrice('ml.nonexistent.large', 'us-east-1'), undefined);
  assert.match(PRICE_TABLE.source, /^https:\/\/github\.com\/aws-samples\//);
  assert.match(PRICE_TABLE.readOn, /^\d{4}-\d{2}-\d{2}$/);
  for (const [type, price] of Object.entries(PRICE_TABLE.prices['us-east-1'])) {
    assert.match(type, /^ml\.[a-z0-9]+\.\d*x?large$/, type);
    assert.ok(price > 0 && price < 200, `${type}: ${price}`);
  }
});

it('takes the user\'s prices over the table: a regional one first, then one for every region', () => {
  const overrides = parsePriceOverrides({ 'ml.m5.large': 0.115, 'eu-west-1/ml.g5.xlarge': 1.6, 'ml.g5.xlarge': 1.5, 'ml.bad.large': 'cheap', 'ml.neg.large': -1 });
  assert.deepEqual(Object.keys(overrides).sort(), ['eu-west-1/ml.g5.xlarge', 'ml.g5.xlarge', 'ml.m5.large'], 'non-numbers and negatives are dropped');
  assert.equal(hourlyPrice('ml.m5.large', 'us-east-1', overrides), 0.115);
  assert.equal(hourlyPrice('ml.m5.large', 'ap-south-1', overrides), 0.115);
  assert.equal(hourlyPrice('ml.g5.xlarge', 'eu-west-1', overrides), 1.6);
  assert.equal(hourlyPrice('ml.g5.xlarge', 'us-east-1', overrides), 1.5);
  assert.deepEqual(parsePriceOverrides(undefined), {});
  assert.deepEqual(parsePriceOverrides('ml.m5.large=1'), {});
});

it('costs an endpoint as instances × price, and names the types it cannot price instead of guessing', () => {
  const priced = hourlyCost([{ instanceType: 'ml.g5.xlarge', count: 2 }, { instanceType: 'ml.m5.xlarge', count: 1 }], 'us-east-1');
  assert.deepEqual(priced, { usdPerHour: 2 * 1.4084 + 0.23, unknownTypes: [] });
  assert.equal(formatCost(priced), '$3.05/h');
  const partly = hourlyCost([{ instanceType: 'ml.g5.xlarge', count: 1 }, { instanceType: 'ml.m5.large', count: 3 }], 'us-east-1');
  assert.equal(formatCost(partly), '$1.41/h + price unknown (ml.m5.large)');
  const unknown = hourlyCost([{ instanceType: 'ml.m5.large', count: 1 }], 'us-east-1');
  assert.equal(formatCost(unknown), 'price unknown (ml.m5.large)');
  // Nothing running, serverless, or no instances yet: nothing by the hour.
  assert.deepEqual(hourlyCost([{ instanceType: 'serverless', count: 1 }, { instanceType: 'ml.g5.xlarge', count: 0 }, { count: 2 }], 'us-east-1'), { usdPerHour: 0, unknownTypes: [] });
  const total = totalCost([priced, partly, unknown]);
  assert.equal(total.usdPerHour, 3 * 1.4084 + 0.23);
  assert.deepEqual(total.unknownTypes, ['ml.m5.large']);
});

it('writes dollars with cents, and a tenth of a cent below a dollar', () => {
  assert.equal(formatUsd(0.115), '$0.115');
  assert.equal(formatUsd(0.23), '$0.23');
  assert.equal(formatUsd(0.2), '$0.20');
  assert.equal(formatUsd(1.4084), '$1.41');
  assert.equal(formatUsd(113.068), '$113.07');
  assert.equal(formatUsd(0), '$0.00');
});
