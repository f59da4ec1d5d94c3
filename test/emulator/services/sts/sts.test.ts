// STS GetCallerIdentity through the SDK v3 and the AWS CLI (the query protocol), and what a client of
// a service the emulator does not speak gets: an error in that service's own protocol that names
// it — IAM's query XML, DynamoDB's awsJson UnknownOperationException, Lambda's REST-JSON, Route 53's
// REST-XML — never S3's 405.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsCli, awsCliAs } from '../../awsCli';
import { authorization, jsonTargetHeaders, rawRequest, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';

describe('STS', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('answers GetCallerIdentity through the SDK: the account, and the caller named by its access key', async () => {
    const sts = new STSClient(clientConfig(emulator.url));
    const otherAccount = new STSClient(clientConfig(emulator.url, { accessKeyId: '111122223333' }));
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.deepEqual([identity.Account, identity.UserId, identity.Arn], ['000000000000', 'test', 'arn:aws:iam::000000000000:user/test']);
      const other = await otherAccount.send(new GetCallerIdentityCommand({}));
      assert.deepEqual([other.Account, other.Arn], ['111122223333', 'arn:aws:iam::111122223333:user/111122223333']);
    } finally {
      sts.destroy();
      otherAccount.destroy();
    }
  });

  it('answers the AWS CLI', async () => {
    const identity = JSON.parse(await awsCli(emulator.url, emulator.root, 'sts', 'get-caller-identity')) as Record<string, string>;
    assert.deepEqual(identity, { UserId: 'test', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/test' });
    const other = JSON.parse(await awsCliAs({ accessKeyId: '123456789012', secretAccessKey: 'x' }, emulator.url, emulator.root, 'sts', 'get-caller-identity')) as Record<string, string>;
    assert.equal(other.Account, '123456789012');
  });

  it('answers operations it does not implement in the query protocol', async () => {
    const unsigned = await rawRequest(emulator.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...authorization('sts') },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=s',
    });
    assert.equal(unsigned.status, 501);
    assert.match(unsigned.body, /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Receiver<\/Type><Code>NotImplemented<\/Code><Message>sts operation AssumeRole is not implemented by the emulator<\/Message><\/Error>/);
  });
});

describe('services the emulator does not speak', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  const cliError = async (...args: string[]): Promise<string> => {
    const failure = await awsCli(emulator.url, emulator.root, ...args).then(
      (stdout) => assert.fail(`expected ${args.join(' ')} to fail, got ${stdout}`),
      (error: Error & { stderr?: string }) => error.stderr ?? '',
    );
    return failure.trim();
  };

  it('answers IAM (query protocol) with its XML error, naming the service and the operation', async () => {
    assert.equal(
      await cliError('iam', 'get-role', '--role-name', 'SageMakerRole'),
      'An error occurred (NotImplemented) when calling the GetRole operation: The emulator does not implement IAM (iam), operation GetRole: it speaks SageMaker, SageMaker Runtime, S3, CloudWatch Logs, CloudWatch, Application Auto Scaling and STS (GetCallerIdentity).',
    );
  });

  it('answers an awsJson target it does not know (DynamoDB) with UnknownOperationException', async () => {
    assert.match(await cliError('dynamodb', 'list-tables'), /^An error occurred \(UnknownOperationException\) when calling the ListTables operation: Unknown operation DynamoDB_20120810\.ListTables$/);
    const raw = await rawRequest(emulator.url, { method: 'POST', headers: jsonTargetHeaders('DynamoDB_20120810.ListTables', 'dynamodb'), body: '{}' });
    assert.equal(raw.status, 400);
    assert.equal((JSON.parse(raw.body) as { __type: string }).__type, 'UnknownOperationException');
  });

  it('answers REST-JSON (Lambda) and REST-XML (Route 53) services in their own formats', async () => {
    assert.match(await cliError('lambda', 'list-functions'), /^An error occurred \(NotImplemented\) when calling the ListFunctions operation: The emulator does not implement Lambda \(lambda\): /);
    const raw = await rawRequest(emulator.url, { path: '/2015-03-31/functions/', headers: authorization('lambda') });
    assert.equal(raw.status, 501);
    assert.equal(raw.headers['x-amzn-errortype'], 'NotImplemented');
    assert.equal((JSON.parse(raw.body) as { __type: string }).__type, 'NotImplemented');
    const route53 = await rawRequest(emulator.url, { path: '/2013-04-01/hostedzone', headers: authorization('route53') });
    assert.equal(route53.status, 501);
    assert.match(
      route53.body,
      /^<ErrorResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/"><Error><Type>Receiver<\/Type><Code>NotImplemented<\/Code><Message>The emulator does not implement Route 53 \(route53\): /,
    );
  });

  it('still serves S3 to unsigned path-style requests', async () => {
    const raw = await rawRequest(emulator.url, { path: '/' });
    assert.equal(raw.status, 200);
    assert.match(raw.body, /<ListAllMyBucketsResult/);
  });
});
