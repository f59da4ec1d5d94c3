// CloudWatch metrics through the real SDK client (awsJson 1.0, awsQueryCompatible): PutMetricData,
// GetMetricStatistics, GetMetricData and ListMetrics, their checks and errors, and durability.
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDatum,
  paginateGetMetricData,
  paginateListMetrics,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorization, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';
import { allPages } from '../../../../harness/waiting';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** An hour boundary two hours ago: datapoints from here on fall in known periods. */
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const at = (minutes: number, seconds = 0) => new Date(BASE + minutes * MINUTE + seconds * 1000);

describe('CloudWatch metrics', () => {
  let emulator: TestEmulator;
  let cloudwatch: CloudWatchClient;
  before(async () => {
    emulator = await startTestEmulator();
    cloudwatch = new CloudWatchClient(clientConfig(emulator.url));
  });
  after(async () => {
    cloudwatch.destroy();
    await emulator.close();
  });

  const put = (Namespace: string, MetricData: MetricDatum[]) => cloudwatch.send(new PutMetricDataCommand({ Namespace, MetricData }));
  const latency = (Timestamp: Date, Value: number, Dimensions = [{ Name: 'Service', Value: 'api' }]): MetricDatum => ({
    MetricName: 'Latency',
    Dimensions,
    Timestamp,
    Value,
    Unit: 'Milliseconds',
  });

  describe('PutMetricData and GetMetricStatistics', () => {
    before(async () => {
      await put('Test/Stats', [
        latency(at(0, 5), 10),
        latency(at(0, 50), 30),
        { ...latency(at(1, 10), 0), Value: undefined, Values: [100, 200], Counts: [1, 3] },
        { ...latency(at(5), 0), Value: undefined, StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 } },
        // Another dimension set is another metric.
        latency(at(0, 1), 1000, [{ Name: 'Service', Value: 'worker' }]),
      ]);
    });

    const statistics = (overrides: Partial<ConstructorParameters<typeof GetMetricStatisticsCommand>[0]> = {}) =>
      cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test/Stats',
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Service', Value: 'api' }],
          StartTime: at(0),
          EndTime: at(10),
          Period: 60,
          Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'],
          ...overrides,
        }),
      );

    it('aggregates each period of the metric: values, values with counts, statistic sets', async () => {
      const { Label, Datapoints } = await statistics();
      assert.equal(Label, 'Latency');
      assert.deepEqual(Datapoints, [
        { Timestamp: at(0), SampleCount: 2, Average: 20, Sum: 40, Minimum: 10, Maximum: 30, Unit: 'Milliseconds' },
        { Timestamp: at(1), SampleCount: 4, Average: 175, Sum: 700, Minimum: 100, Maximum: 200, Unit: 'Milliseconds' },
        { Timestamp: at(5), SampleCount: 4, Average: 5, Sum: 20, Minimum: 2, Maximum: 8, Unit: 'Milliseconds' },
      ]);
      const fiveMinutes = await statistics({ Period: 300, Statistics: ['SampleCount', 'Maximum'] });
      assert.deepEqual(
        fiveMinutes.Datapoints?.map(({ Timestamp, SampleCount, Maximum }) => ({ Timestamp, SampleCount, Maximum })),
        [
          { Timestamp: at(0), SampleCount: 6, Maximum: 200 },
          { Timestamp: at(5), SampleCount: 4, Maximum: 8 },
        ],
      );
    });

    it('computes percentiles from published values, not from statistic sets', async () => {
      const { Datapoints } = await statistics({ Statistics: undefined, ExtendedStatistics: ['p50', 'p99.9'] });
      assert.deepEqual(
        Datapoints?.map((point) => [point.Timestamp, point.ExtendedStatistics]),
        [
          [at(0), { p50: 10, 'p99.9': 30 }],
          [at(1), { p50: 200, 'p99.9': 200 }],
          [at(5), undefined],
        ],
      );
    });

    it('finds a metric by its whole dimension set, in any order, and filters by unit', async () => {
      await put('Test/Stats', [
        { MetricName: 'Tokens', Dimensions: [{ Name: 'B', Value: '2' }, { Name: 'A', Value: '1' }], Timestamp: at(2), Value: 7, Unit: 'Count' },
      ]);
      const byOtherOrder = await statistics({ MetricName: 'Tokens', Dimensions: [{ Name: 'A', Value: '1' }, { Name: 'B', Value: '2' }], Statistics: ['Sum'] });
      assert.deepEqual(byOtherOrder.Datapoints, [{ Timestamp: at(2), Sum: 7, Unit: 'Count' }]);
      const subset = await statistics({ MetricName: 'Tokens', Dimensions: [{ Name: 'A', Value: '1' }], Statistics: ['Sum'] });
      assert.deepEqual(subset.Datapoints, []);
      const otherUnit = await statistics({ MetricName: 'Tokens', Dimensions: [{ Name: 'A', Value: '1' }, { Name: 'B', Value: '2' }], Statistics: ['Sum'], Unit: 'Seconds' });
      assert.deepEqual(otherUnit.Datapoints, []);
    });

    it('refuses requests CloudWatch refuses, in its words', async () => {
      const tooMany = await rejection(statistics({ StartTime: at(-60 * 24), EndTime: at(60), Period: 60 }));
      assert.equal(tooMany.name, 'InvalidParameterCombinationException');
      assert.equal(
        tooMany.message,
        'You have requested up to 1,500 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      );
      const period = await rejection(statistics({ Period: 90 }));
      assert.equal(period.name, 'InvalidParameterValueException');
      assert.equal(period.message, 'The parameter Period must be a multiple of 60.');
      const reversed = await rejection(statistics({ StartTime: at(10), EndTime: at(0) }));
      assert.equal(reversed.message, 'The parameter StartTime must be less than the parameter EndTime.');
      const neither = await rejection(statistics({ Statistics: undefined }));
      assert.equal(neither.name, 'InvalidParameterCombinationException');
      const percentile = await rejection(statistics({ Statistics: undefined, ExtendedStatistics: ['p101'] }));
      assert.equal(percentile.message, 'The value p101 for parameter ExtendedStatistics is not supported.');
    });
  });

  describe('PutMetricData checks', () => {
    it('keeps the AWS/ namespaces to AWS services', async () => {
      const reserved = await rejection(put('AWS/SageMaker', [latency(at(0), 1)]));
      assert.equal(reserved.name, 'InvalidParameterValueException');
      assert.equal(reserved.$metadata.httpStatusCode, 400);
      assert.equal(reserved.message, 'The value AWS/SageMaker for parameter Namespace is invalid.');
    });

    it('takes one kind of value per datum, and timestamps within the past two weeks', async () => {
      const both = await rejection(put('Test/Checks', [{ ...latency(at(0), 1), StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }]));
      assert.equal(both.name, 'InvalidParameterCombinationException');
      assert.equal(both.message, 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.');
      const counts = await rejection(put('Test/Checks', [{ ...latency(at(0), 0), Value: undefined, Values: [1, 2], Counts: [1] }]));
      assert.equal(counts.message, 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.');
      const old = new Date(Date.now() - 15 * 24 * HOUR);
      const stale = await rejection(put('Test/Checks', [latency(at(0), 1), latency(old, 1), latency(old, 2)]));
      assert.equal(stale.name, 'InvalidParameterValueException');
      assert.equal(
        stale.message,
        'The parameter MetricData.member.2.Timestamp must specify a time within the past two weeks.\n' +
          'The parameter MetricData.member.3.Timestamp must specify a time within the past two weeks.',
      );
      // Nothing of a refused request is stored.
      const { Metrics } = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Test/Checks' }));
      assert.deepEqual(Metrics, []);
    });

    it('answers model violations with ValidationException (query code ValidationError)', async () => {
      const invalid = await rejection(put('Test/Checks', [{ MetricName: '', Value: 1 }]));
      assert.equal(invalid.name, 'ValidationException');
      assert.equal((invalid as { Code?: string }).Code, 'ValidationError');
      assert.equal(
        invalid.message,
        "1 validation error detected: Value '' at 'metricData.1.member.metricName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });

    it('speaks awsJson 1.0 and names the query error code in x-amzn-query-error', async () => {
      const response = await rawRequest(emulator.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'GraniteServiceVersion20100801.PutMetricData',
          ...authorization('monitoring'),
        },
        body: JSON.stringify({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'CPU', Value: 1 }] }),
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers['content-type'], 'application/x-amz-json-1.0');
      assert.equal(response.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
      assert.deepEqual(JSON.parse(response.body), { __type: 'InvalidParameterValueException', message: 'The value AWS/EC2 for parameter Namespace is invalid.' });
    });
  });

  describe('GetMetricData', () => {
    before(async () => {
      // One value a minute for 30 minutes, on two hosts.
      const data = Array.from({ length: 30 }, (_, minute) => [
        { MetricName: 'loss', Dimensions: [{ Name: 'Host', Value: 'job/algo-1' }], Timestamp: at(minute, 30), Value: 30 - minute },
        { MetricName: 'loss', Dimensions: [{ Name: 'Host', Value: 'job/algo-2' }], Timestamp: at(minute, 30), Value: 60 - minute },
      ]).flat();
      await put('Test/Training', data);
    });

    const query = (id: string, host: string, stat = 'Average', period = 60) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'Test/Training', MetricName: 'loss', Dimensions: [{ Name: 'Host', Value: host }] }, Period: period, Stat: stat },
    });
    const request = (overrides: Partial<GetMetricDataCommandInput> = {}): GetMetricDataCommandInput => ({
      MetricDataQueries: [query('algo1', 'job/algo-1'), query('algo2', 'job/algo-2', 'Maximum', 600)],
      StartTime: at(0),
      EndTime: at(30),
      ...overrides,
    });

    it('returns one series per query, newest first by default, oldest first with ScanBy', async () => {
      const { MetricDataResults, NextToken } = await cloudwatch.send(new GetMetricDataCommand(request()));
      assert.equal(NextToken, undefined);
      const [first, second] = MetricDataResults ?? [];
      assert.equal(first.Id, 'algo1');
      assert.equal(first.Label, 'loss');
      assert.equal(first.StatusCode, 'Complete');
      assert.deepEqual(first.Timestamps?.slice(0, 2), [at(29), at(28)]);
      assert.deepEqual(first.Values?.slice(0, 2), [1, 2]);
      assert.equal(first.Values?.length, 30);
      assert.deepEqual(second.Timestamps, [at(20), at(10), at(0)]);
      assert.deepEqual(second.Values, [40, 50, 60]);

      const ascending = await cloudwatch.send(new GetMetricDataCommand(request({ ScanBy: 'TimestampAscending' })));
      assert.deepEqual(ascending.MetricDataResults?.[1].Values, [60, 50, 40]);
    });

    it('pages by MaxDatapoints across the queries, marking unfinished series PartialData', async () => {
      const pages = [];
      for (const page of await allPages('metric data by 20 datapoints', paginateGetMetricData({ client: cloudwatch }, request({ MaxDatapoints: 20, ScanBy: 'TimestampAscending' })), 3)) pages.push(page);
      assert.deepEqual(
        pages.map((page) => page.MetricDataResults?.map((result) => [result.Id, result.Values?.length, result.StatusCode])),
        [
          [['algo1', 20, 'PartialData'], ['algo2', 0, 'PartialData']],
          [['algo1', 10, 'Complete'], ['algo2', 3, 'Complete']],
        ],
      );
      const stitched = pages.flatMap((page) => page.MetricDataResults?.[0].Values ?? []);
      assert.deepEqual(stitched, Array.from({ length: 30 }, (_, minute) => 30 - minute));
      const forged = await rejection(cloudwatch.send(new GetMetricDataCommand(request({ NextToken: 'forged' }))));
      assert.equal(forged.name, 'InvalidNextToken');
    });

    it('leaves out queries with ReturnData false, and uses the Label given', async () => {
      const { MetricDataResults } = await cloudwatch.send(
        new GetMetricDataCommand(
          request({ MetricDataQueries: [{ ...query('a', 'job/algo-1'), ReturnData: false }, { ...query('b', 'job/algo-2', 'p90', 1800), Label: 'host 2' }] }),
        ),
      );
      assert.deepEqual(
        MetricDataResults?.map(({ Id, Label, Values }) => ({ Id, Label, Values })),
        [{ Id: 'b', Label: 'host 2', Values: [57] }],
      );
    });

    it('refuses metric math, unknown statistics and bad ids with a reason', async () => {
      const math = await rejection(cloudwatch.send(new GetMetricDataCommand(request({ MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }] }))));
      assert.equal(math.name, 'ValidationException');
      assert.match(math.message, /MetricDataQueries\.member\.1\.Expression/);
      const stat = await rejection(cloudwatch.send(new GetMetricDataCommand(request({ MetricDataQueries: [query('m', 'job/algo-1', 'Median')] }))));
      assert.equal(stat.name, 'InvalidParameterValueException');
      assert.equal(stat.message, 'The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is invalid.');
      const id = await rejection(cloudwatch.send(new GetMetricDataCommand(request({ MetricDataQueries: [query('Upper', 'job/algo-1')] }))));
      assert.equal(id.message, 'The value Upper for parameter MetricDataQueries.member.1.Id is invalid.');
      const same = await rejection(cloudwatch.send(new GetMetricDataCommand(request({ StartTime: at(5), EndTime: at(5) }))));
      assert.equal(same.message, 'The parameter StartTime must not equal parameter EndTime.');
    });
  });

  describe('ListMetrics', () => {
    before(async () => {
      await put('Test/List', [
        { MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: 'e1' }, { Name: 'VariantName', Value: 'AllTraffic' }], Value: 1 },
        { MetricName: 'Invocations', Dimensions: [{ Name: 'EndpointName', Value: 'e2' }, { Name: 'VariantName', Value: 'AllTraffic' }], Value: 1 },
        { MetricName: 'ModelLatency', Dimensions: [{ Name: 'VariantName', Value: 'AllTraffic' }, { Name: 'EndpointName', Value: 'e1' }], Value: 1 },
        { MetricName: 'Invocations', Value: 1 },
      ]);
    });

    const list = async (input: ConstructorParameters<typeof ListMetricsCommand>[0]) =>
      (await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Test/List', ...input }))).Metrics?.map((metric) => [
        metric.MetricName,
        metric.Dimensions?.map((dimension) => `${dimension.Name}=${dimension.Value}`).join(','),
      ]);

    it('filters by name and by dimensions, with or without their values', async () => {
      assert.deepEqual(await list({}), [
        ['Invocations', ''],
        ['Invocations', 'EndpointName=e1,VariantName=AllTraffic'],
        ['Invocations', 'EndpointName=e2,VariantName=AllTraffic'],
        ['ModelLatency', 'EndpointName=e1,VariantName=AllTraffic'],
      ]);
      assert.deepEqual(await list({ MetricName: 'ModelLatency' }), [['ModelLatency', 'EndpointName=e1,VariantName=AllTraffic']]);
      assert.deepEqual(await list({ Dimensions: [{ Name: 'EndpointName', Value: 'e1' }] }), [
        ['Invocations', 'EndpointName=e1,VariantName=AllTraffic'],
        ['ModelLatency', 'EndpointName=e1,VariantName=AllTraffic'],
      ]);
      assert.equal((await list({ Dimensions: [{ Name: 'VariantName' }], RecentlyActive: 'PT3H' }))?.length, 3);
      assert.deepEqual(await list({ Namespace: 'Test/None' }), []);
    });

    it('pages 500 metrics at a time', async () => {
      const data = Array.from({ length: 501 }, (_, index) => ({ MetricName: `m${String(index).padStart(3, '0')}`, Value: index }));
      await put('Test/Many', data.slice(0, 500));
      await put('Test/Many', data.slice(500));
      const pages = [];
      for (const page of await allPages('the metrics of Test/Many', paginateListMetrics({ client: cloudwatch }, { Namespace: 'Test/Many' }), 3)) pages.push(page.Metrics?.length);
      assert.deepEqual(pages, [500, 1]);
    });
  });

  describe('the query protocol (form-encoded requests, XML responses)', () => {
    const query = (body: string) =>
      rawRequest(emulator.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...authorization('monitoring') },
        body,
      });

    it('puts and reads metrics, lists as member elements and maps as entries', async () => {
      const put = await query(
        'Action=PutMetricData&Version=2010-08-01&Namespace=Test%2FQuery&MetricData.member.1.MetricName=Queue' +
          `&MetricData.member.1.Dimensions.member.1.Name=Name&MetricData.member.1.Dimensions.member.1.Value=jobs&MetricData.member.1.Timestamp=${at(4).toISOString()}` +
          '&MetricData.member.1.Values.member.1=3&MetricData.member.1.Values.member.2=9&MetricData.member.1.Unit=Count',
      );
      assert.equal(put.status, 200, put.body);
      assert.match(put.body, /^<PutMetricDataResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ResponseMetadata><RequestId>[0-9a-f-]+<\/RequestId><\/ResponseMetadata><\/PutMetricDataResponse>$/);
      const read = await query(
        'Action=GetMetricStatistics&Version=2010-08-01&Namespace=Test%2FQuery&MetricName=Queue&Dimensions.member.1.Name=Name&Dimensions.member.1.Value=jobs' +
          `&StartTime=${at(0).toISOString()}&EndTime=${at(10).toISOString()}&Period=600&ExtendedStatistics.member.1=p50`,
      );
      assert.equal(read.status, 200, read.body);
      assert.equal(read.headers['content-type'], 'text/xml');
      assert.match(
        read.body,
        new RegExp(
          `<GetMetricStatisticsResult><Label>Queue</Label><Datapoints><member><Timestamp>${at(0).toISOString()}</Timestamp>` +
            '<Unit>Count</Unit><ExtendedStatistics><entry><key>p50</key><value>3</value></entry></ExtendedStatistics></member></Datapoints></GetMetricStatisticsResult>',
        ),
      );
    });

    it('takes GET requests with the parameters in the query string', async () => {
      const listed = await rawRequest(emulator.url, { path: '/?Action=ListMetrics&Version=2010-08-01&Namespace=Test%2FQuery', headers: authorization('monitoring') });
      assert.equal(listed.status, 200, listed.body);
      assert.match(listed.body, /<ListMetricsResult><Metrics><member><Namespace>Test\/Query<\/Namespace><MetricName>Queue<\/MetricName>/);
    });

    it('answers errors as <ErrorResponse> with the query code', async () => {
      const reserved = await query('Action=PutMetricData&Version=2010-08-01&Namespace=AWS%2FEC2&MetricData.member.1.MetricName=CPU&MetricData.member.1.Value=1');
      assert.equal(reserved.status, 400);
      assert.match(
        reserved.body,
        /^<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>The value AWS\/EC2 for parameter Namespace is invalid\.<\/Message><\/Error><RequestId>[0-9a-f-]+<\/RequestId><\/ErrorResponse>$/,
      );
      const malformed = await query('Action=PutMetricData&Version=2010-08-01&Namespace=Test&MetricData.member.1.MetricName=CPU&MetricData.member.1.Value=high');
      assert.match(malformed.body, /<Code>MalformedInput<\/Code>/);
      const unknown = await query('Action=Teleport&Version=2010-08-01');
      assert.match(unknown.body, /<Code>InvalidAction<\/Code><Message>The action Teleport is not valid for this web service\.<\/Message>/);
      const missing = await query('Namespace=Test');
      assert.match(missing.body, /<Code>MissingAction<\/Code>/);
      const unimplemented = await query('Action=DescribeAlarms&Version=2010-08-01');
      assert.equal(unimplemented.status, 501);
      assert.match(unimplemented.body, /<Type>Receiver<\/Type><Code>NotImplemented<\/Code>/);
    });
  });

  it('keeps metrics across a restart', async () => {
    await put('Test/Durable', [latency(at(3), 42)]);
    await emulator.restart();
    cloudwatch.destroy();
    cloudwatch = new CloudWatchClient(clientConfig(emulator.url));
    const { Datapoints } = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test/Durable',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'api' }],
        StartTime: at(0),
        EndTime: at(10),
        Period: 600,
        Statistics: ['Maximum'],
      }),
    );
    assert.deepEqual(Datapoints, [{ Timestamp: at(0), Maximum: 42, Unit: 'Milliseconds' }]);
  });
});
