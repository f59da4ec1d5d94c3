// CloudWatch metrics through a second, independent client: the AWS CLI, which speaks the query
// protocol to CloudWatch (form-encoded requests, XML responses) where the JavaScript SDK speaks awsJson.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli } from '../../awsCli';
import { startTestEmulator, type TestEmulator } from '../../helpers';

const MINUTE = 60_000;

describe('AWS CLI: cloudwatch', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('puts metric data, reads its statistics back and lists the metric', async () => {
    const aws = (...args: string[]) => awsCli(emulator.url, emulator.root, 'cloudwatch', ...args);
    const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE);
    const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');
    await aws('put-metric-data', '--namespace', 'Cli/Endpoint', '--metric-name', 'ModelLatency', '--dimensions', 'EndpointName=chat,VariantName=AllTraffic',
      '--value', '120', '--unit', 'Milliseconds', '--timestamp', iso(minute));
    const data = [40, 80].map((Value, index) => ({
      MetricName: 'ModelLatency',
      Dimensions: [{ Name: 'VariantName', Value: 'AllTraffic' }, { Name: 'EndpointName', Value: 'chat' }],
      Timestamp: iso(new Date(minute.getTime() + index * 1000)),
      Value,
      Unit: 'Milliseconds',
    }));
    await aws('put-metric-data', '--namespace', 'Cli/Endpoint', '--metric-data', JSON.stringify(data));

    const statistics = JSON.parse(
      await aws('get-metric-statistics', '--namespace', 'Cli/Endpoint', '--metric-name', 'ModelLatency',
        '--dimensions', 'Name=EndpointName,Value=chat', 'Name=VariantName,Value=AllTraffic',
        '--start-time', iso(new Date(minute.getTime() - 5 * MINUTE)), '--end-time', iso(new Date(minute.getTime() + 5 * MINUTE)),
        '--period', '60', '--statistics', 'Average', 'Maximum', 'SampleCount'),
    ) as { Label: string; Datapoints: { Timestamp: string; Average: number; Maximum: number; SampleCount: number; Unit: string }[] };
    assert.equal(statistics.Label, 'ModelLatency');
    assert.deepEqual(statistics.Datapoints, [{ Timestamp: iso(minute).replace('Z', '+00:00'), Average: 80, Maximum: 120, SampleCount: 3, Unit: 'Milliseconds' }]);

    const listed = JSON.parse(await aws('list-metrics', '--namespace', 'Cli/Endpoint', '--dimensions', 'Name=EndpointName,Value=chat')) as {
      Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[];
    };
    assert.deepEqual(listed.Metrics, [
      { Namespace: 'Cli/Endpoint', MetricName: 'ModelLatency', Dimensions: [{ Name: 'EndpointName', Value: 'chat' }, { Name: 'VariantName', Value: 'AllTraffic' }] },
    ]);
  });

  it('reports CloudWatch errors by their query codes', async () => {
    const refused = await awsCli(emulator.url, emulator.root, 'cloudwatch', 'put-metric-data', '--namespace', 'AWS/SageMaker', '--metric-name', 'Invocations', '--value', '1')
      .then(() => assert.fail('expected the CLI to fail'))
      .catch((error: { code: number; stderr: string }) => error);
    assert.equal(refused.code, 254);
    assert.match(refused.stderr, /An error occurred \(InvalidParameterValue\) when calling the PutMetricData operation: The value AWS\/SageMaker for parameter Namespace is invalid\./);
  });
});
