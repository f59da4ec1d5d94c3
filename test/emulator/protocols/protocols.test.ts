// Routing and the error shapes of each protocol, seen on the wire and through the SDKs.
import { ApplicationAutoScalingClient, DescribeScheduledActionsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchLogsClient, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { DescribeNotebookInstanceCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointAsyncCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { version } from '../../../package.json';
import { authorization, jsonTargetHeaders, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../helpers';
import { clientConfig } from '../../../harness/emulatorClients';

describe('protocols and routing', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('answers the health check', async () => {
    const response = await rawRequest(emulator.url, { path: '/_emulator/health' });
    assert.equal(response.status, 200);
    // With its data folder and process: a VS Code window tells by them whether the emulator is its own.
    assert.deepEqual(JSON.parse(response.body), { status: 'ok', version, store: { status: 'ok' }, dataDir: emulator.dataDir, pid: process.pid });
    // Run inside another program (here, the tests), it is that program's to stop.
    const shutdown = await rawRequest(emulator.url, { path: '/_emulator/shutdown', method: 'POST' });
    assert.equal(shutdown.status, 501);
    const unknown = await rawRequest(emulator.url, { path: '/_emulator/nothing-here' });
    assert.equal(unknown.status, 404);
    assert.match(JSON.parse(unknown.body).message, /No emulator control/);
  });

  it('lists the images jobs can use, built-in ones first (the extension offers them in New Training Job Spec)', async () => {
    const response = await rawRequest(emulator.url, { path: '/_emulator/images' });
    assert.equal(response.status, 200);
    const { images } = JSON.parse(response.body) as { images: string[] };
    assert.deepEqual(images.slice(0, 4), ['sagemaker-emulator/builtin-gpt', 'sagemaker-emulator/format-echo', 'sagemaker-emulator/node', 'sagemaker-emulator/python']);
  });

  it('answers an unknown X-Amz-Target with UnknownOperationException', async () => {
    for (const target of ['SageMaker.NoSuchOperation', 'SageMaker.constructor', 'DynamoDB_20120810.GetItem', 'SageMaker']) {
      const response = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders(target), body: '{}' });
      assert.equal(response.status, 400, target);
      assert.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException', target);
      assert.equal(JSON.parse(response.body).__type, 'UnknownOperationException', target);
      assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    }
  });

  it('names operations of the API models that the emulator does not implement', async () => {
    const sagemaker = await rejection(emulator.sagemaker.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'notebook' })));
    assert.equal(sagemaker.name, 'NotImplemented');
    assert.equal(sagemaker.$metadata.httpStatusCode, 501);
    assert.equal(sagemaker.message, 'sagemaker operation DescribeNotebookInstance is not implemented by the emulator');

    const s3 = await rejection(emulator.s3.send(new PutBucketVersioningCommand({ Bucket: 'any-bucket', VersioningConfiguration: { Status: 'Enabled' } })));
    assert.equal(s3.name, 'NotImplemented');
    assert.equal(s3.message, 's3 operation PutBucketVersioning is not implemented by the emulator');

    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    const logsError = await rejection(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'group', retentionInDays: 7 })));
    assert.equal(logsError.name, 'NotImplemented');
    assert.match(logsError.message, /logs operation PutRetentionPolicy/);
    logs.destroy();

    const autoscaling = new ApplicationAutoScalingClient(clientConfig(emulator.url));
    const autoscalingError = await rejection(autoscaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'sagemaker' })));
    assert.match(autoscalingError.message, /application-autoscaling operation DescribeScheduledActions/);
    autoscaling.destroy();

    const runtime = new SageMakerRuntimeClient(clientConfig(emulator.url));
    const runtimeError = await rejection(runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'endpoint', InputLocation: 's3://bucket/input.json' })));
    assert.equal(runtimeError.name, 'NotImplemented');
    assert.match(runtimeError.message, /sagemaker-runtime operation InvokeEndpointAsync/);
    runtime.destroy();
  });

  it('answers S3-style XML for a method S3 does not have', async () => {
    const response = await rawRequest(emulator.url, { method: 'PATCH', path: '/some-bucket/key' });
    assert.equal(response.status, 405);
    assert.match(response.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>MethodNotAllowed<\/Code><Message>[^<]+<\/Message>/);
    assert.match(response.body, /<Resource>\/some-bucket\/key<\/Resource><RequestId>[0-9a-f-]{36}<\/RequestId><\/Error>$/);
    assert.ok(response.headers['x-amz-request-id']);
  });

  it('answers SerializationException for a body that is not a JSON object or has wrong types', async () => {
    const headers = jsonTargetHeaders('SageMaker.DescribeTrainingJob', 'sagemaker');
    for (const body of ['{not json', '[1, 2]', '"text"', '{"TrainingJobName": 42}', '{"TrainingJobName": ["a"]}']) {
      const response = await rawRequest(emulator.url, { method: 'POST', headers, body });
      assert.equal(response.status, 400, body);
      assert.equal(JSON.parse(response.body).__type, 'SerializationException', body);
    }
    const listHeaders = jsonTargetHeaders('SageMaker.ListTrainingJobs', 'sagemaker');
    for (const body of ['{"MaxResults": 1.5}', '{"MaxResults": 1e400}', '{"CreationTimeAfter": "yesterday"}']) {
      const response = await rawRequest(emulator.url, { method: 'POST', headers: listHeaders, body });
      assert.equal(JSON.parse(response.body).__type, 'SerializationException', body);
    }
  });

  it('refuses JSON bodies over 10 MB and still serves the connection', async () => {
    const response = await rawRequest(emulator.url, {
      method: 'POST',
      headers: jsonTargetHeaders('SageMaker.ListTrainingJobs', 'sagemaker'),
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 32),
    });
    assert.equal(response.status, 413);
    assert.equal(JSON.parse(response.body).__type, 'RequestEntityTooLargeException');
  });

  it('routes by signing name first: S3 signing beats an X-Amz-Target, sagemaker signing picks the runtime by path', async () => {
    const s3Signed = await rawRequest(emulator.url, {
      method: 'POST',
      headers: { ...authorization('s3'), 'X-Amz-Target': 'SageMaker.ListTrainingJobs' },
    });
    assert.match(s3Signed.body, /<Code>MethodNotAllowed<\/Code>/);

    const runtime = await rawRequest(emulator.url, {
      method: 'POST',
      path: '/endpoints/my-endpoint/invocations',
      headers: authorization('sagemaker'),
    });
    // SageMaker Runtime's own answer for an endpoint it does not know.
    assert.equal(runtime.headers['x-amzn-errortype'], 'ValidationError');
    assert.match(runtime.body, /Endpoint my-endpoint of account \d{12} not found\./);

    const presigned = await rawRequest(emulator.url, {
      path: `/?X-Amz-Credential=${encodeURIComponent('test/20240101/eu-west-1/s3/aws4_request')}`,
    });
    assert.equal(presigned.status, 200, 'a presigned ListBuckets');
    assert.match(presigned.body, /<ListAllMyBucketsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  });

  it('never answers with HTML', async () => {
    for (const path of ['/', '/%', '/%E0%A4%A', '/bucket/%zz', '/_emulator', '/endpoints/x/invocations']) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) {
        const response = await rawRequest(emulator.url, { method, path });
        assert.doesNotMatch(response.body, /<html|<!DOCTYPE|at .*\.js:\d+/i, `${method} ${path}`);
        assert.notEqual(response.status, 500, `${method} ${path}`);
      }
    }
  });
  it('answers deeply nested JSON with a 4xx before parsing it, at the edge of the depth it allows', async () => {
    const headers = jsonTargetHeaders('SageMaker.ListTrainingJobs');
    /** `{"NameContains": [[…]]}` nesting `depth` levels, the object included. */
    const nested = (depth: number) => `{"NameContains": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    const deep = await rawRequest(emulator.url, { method: 'POST', headers, body: nested(100_000) });
    assert.equal(deep.status, 400);
    assert.deepEqual(JSON.parse(deep.body), { __type: 'SerializationException', message: 'The request body nests objects and arrays more than 64 levels deep' });
    const overTheEdge = await rawRequest(emulator.url, { method: 'POST', headers, body: nested(65) });
    assert.match(JSON.parse(overTheEdge.body).message, /more than 64 levels deep/);
    // 64 levels are parsed, and then refused for what they are: a list where a string goes.
    const atTheEdge = await rawRequest(emulator.url, { method: 'POST', headers, body: nested(64) });
    assert.equal(atTheEdge.status, 400);
    assert.match(JSON.parse(atTheEdge.body).message, /^Expected a string at 'nameContains' but got \[\[\[/);
    // Brackets inside strings are text, not nesting.
    const inString = await rawRequest(emulator.url, { method: 'POST', headers, body: JSON.stringify({ NameContains: '['.repeat(1000) }) });
    assert.equal(JSON.parse(inString.body).__type, 'ValidationException');
  });

  it('quotes at most a short excerpt of a huge input in its errors', async () => {
    const hugeString = 'x'.repeat(5 * 1024 * 1024);
    const invalid = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders('SageMaker.DescribeTrainingJob'), body: JSON.stringify({ TrainingJobName: hugeString }) });
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.body).__type, 'ValidationException');
    assert.ok(invalid.body.length < 1000, `${invalid.body.length} bytes`);
    assert.match(JSON.parse(invalid.body).message, /^2 validation errors detected: Value 'x{256}…' at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63; /);

    const hugeList = JSON.stringify({ NameContains: Array.from({ length: 200_000 }, (_, index) => index) });
    const mistyped = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders('SageMaker.ListTrainingJobs'), body: hugeList });
    assert.equal(JSON.parse(mistyped.body).__type, 'SerializationException');
    assert.ok(mistyped.body.length < 300, mistyped.body);

    const target = `SageMaker.${'A'.repeat(10_000)}`;
    const unknown = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders(target), body: '{}' });
    assert.equal(JSON.parse(unknown.body).__type, 'UnknownOperationException');
    assert.ok(unknown.body.length < 300, `${unknown.body.length} bytes`);
  });
});
