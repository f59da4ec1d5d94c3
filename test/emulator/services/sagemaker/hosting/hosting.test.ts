// Emulator tests (a running emulator, the real AWS SDK v3 clients) of SageMaker hosting: models, endpoint configurations, endpoints.
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  paginateListEndpoints,
  paginateListModels,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  waitUntilEndpointDeleted,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clockPast, rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { sagemakerClient } from '../../../../../harness/emulatorClients';
import { allPages, until } from '../../../../../harness/waiting';
import { endpointConfigRequest, modelRequest, variant } from '../../../../../harness/requests';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:000000000000';

describe('SageMaker hosting: models, endpoint configurations, endpoints', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  describe('models', () => {
    it('creates, describes and deletes a model', async () => {
      const { ModelArn } = await emulator.sagemaker.send(new CreateModelCommand(modelRequest('Gpt-Small', { Tags: [{ Key: 'team', Value: 'nlp' }] })));
      assert.equal(ModelArn, `${ARN_PREFIX}:model/gpt-small`);
      const model = await emulator.sagemaker.send(new DescribeModelCommand({ ModelName: 'Gpt-Small' }));
      assert.equal(model.ModelName, 'Gpt-Small');
      assert.equal(model.ModelArn, ModelArn);
      assert.equal(model.PrimaryContainer?.Image, 'builtin/gpt-server:latest');
      assert.deepEqual(model.PrimaryContainer?.Environment, { MAX_TOKENS: '64' });
      assert.equal(model.EnableNetworkIsolation, false);
      assert.ok(model.CreationTime instanceof Date);
      assert.equal((model as { Tags?: unknown }).Tags, undefined, 'tags are listed by ListTags, not described');

      await emulator.sagemaker.send(new DeleteModelCommand({ ModelName: 'gpt-small' }));
      const missing = await rejection(emulator.sagemaker.send(new DescribeModelCommand({ ModelName: 'Gpt-Small' })));
      assert.equal(missing.name, 'ValidationException');
      assert.equal(missing.$metadata.httpStatusCode, 400);
      assert.equal(missing.message, `Could not find model "${ARN_PREFIX}:model/gpt-small".`);
      assert.equal((await rejection(emulator.sagemaker.send(new DeleteModelCommand({ ModelName: 'gpt-small' })))).name, 'ValidationException');
    });

    it('refuses a second model of the same name, whatever its case', async () => {
      await emulator.sagemaker.send(new CreateModelCommand(modelRequest('twice')));
      const error = await rejection(emulator.sagemaker.send(new CreateModelCommand(modelRequest('TWICE'))));
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, `Cannot create already existing model "${ARN_PREFIX}:model/twice".`);
    });

    it('lists models newest first, filters by name, sorts by name and pages to the end', async () => {
      const client = sagemakerClient(emulator.url, { region: 'eu-central-1' });
      try {
        const names = ['m-a', 'm-c', 'm-b', 'other'];
        for (const name of names) {
          await client.send(new CreateModelCommand(modelRequest(name)));
          await clockPast(`the creation of ${name}`, (await client.send(new DescribeModelCommand({ ModelName: name }))).CreationTime);
        }
        const newest = await client.send(new ListModelsCommand({}));
        assert.deepEqual(newest.Models?.map((model) => model.ModelName), ['other', 'm-b', 'm-c', 'm-a']);
        const pages = await allPages('models named m-*', paginateListModels({ client, pageSize: 2 }, { NameContains: 'M-', SortBy: 'Name', SortOrder: 'Ascending' }), 2);
        assert.deepEqual(pages.flatMap((page) => (page.Models ?? []).map((model) => model.ModelName)), ['m-a', 'm-b', 'm-c']);
      } finally {
        client.destroy();
      }
    });
  });

  describe('endpoint configurations', () => {
    before(() => emulator.sagemaker.send(new CreateModelCommand(modelRequest('config-model'))));

    it('creates one with SageMaker defaults, describes, lists and deletes it', async () => {
      const { EndpointConfigArn } = await emulator.sagemaker.send(
        new CreateEndpointConfigCommand(endpointConfigRequest('chat-config', [variant('primary', 'config-model')])),
      );
      assert.equal(EndpointConfigArn, `${ARN_PREFIX}:endpoint-config/chat-config`);
      const config = await emulator.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'chat-config' }));
      assert.equal(config.EndpointConfigArn, EndpointConfigArn);
      assert.deepEqual(config.ProductionVariants, [{ ...variant('primary', 'config-model'), InitialVariantWeight: 1 }]);
      const listed = await emulator.sagemaker.send(new ListEndpointConfigsCommand({ NameContains: 'chat' }));
      assert.deepEqual(listed.EndpointConfigs?.map((summary) => summary.EndpointConfigArn), [EndpointConfigArn]);

      await emulator.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'chat-config' }));
      const missing = await rejection(emulator.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'chat-config' })));
      assert.equal(missing.name, 'ValidationException');
      assert.equal(missing.message, `Could not find endpoint configuration "${ARN_PREFIX}:endpoint-config/chat-config".`);
    });

    it('refuses variants of models that do not exist, and repeated variant names', async () => {
      const noModel = await rejection(emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('bad', [variant('v', 'ghost')]))));
      assert.equal(noModel.name, 'ValidationException');
      assert.equal(noModel.message, `Could not find model "${ARN_PREFIX}:model/ghost".`);
      const repeated = await rejection(
        emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('bad', [variant('v', 'config-model'), variant('v', 'config-model')]))),
      );
      assert.equal(repeated.message, 'The variant name "v" was non-unique within the request.');
      const badCount = await rejection(
        emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('bad', [variant('v', 'config-model', { InitialInstanceCount: 0 })]))),
      );
      assert.match(badCount.message, /^1 validation error detected: Value '0' at 'productionVariants.1.member.initialInstanceCount'/);
    });
  });

  describe('endpoints', () => {
    before(async () => {
      await emulator.sagemaker.send(new CreateModelCommand(modelRequest('endpoint-model')));
      await emulator.sagemaker.send(
        new CreateEndpointConfigCommand(
          endpointConfigRequest('two-variants', [variant('blue', 'endpoint-model', { InitialInstanceCount: 2, InitialVariantWeight: 3 }), variant('green', 'endpoint-model')]),
        ),
      );
    });

    it('creates an endpoint that stays Creating until a runtime serves it', async () => {
      const before = Date.now();
      const { EndpointArn } = await emulator.sagemaker.send(
        new CreateEndpointCommand({ EndpointName: 'Chat', EndpointConfigName: 'two-variants', Tags: [{ Key: 'stage', Value: 'dev' }] }),
      );
      assert.equal(EndpointArn, `${ARN_PREFIX}:endpoint/chat`);
      const endpoint = await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'chat' }));
      assert.equal(endpoint.EndpointName, 'Chat');
      assert.equal(endpoint.EndpointStatus, 'Creating');
      assert.equal(endpoint.EndpointConfigName, 'two-variants');
      assert.equal(endpoint.ProductionVariants, undefined, 'nothing serves yet');
      assert.equal(endpoint.PendingDeploymentSummary?.EndpointConfigName, 'two-variants');
      assert.deepEqual(
        endpoint.PendingDeploymentSummary?.ProductionVariants?.map((pending) => [pending.VariantName, pending.DesiredWeight, pending.DesiredInstanceCount]),
        [['blue', 3, 2], ['green', 1, 1]],
      );
      assert.ok((endpoint.CreationTime?.getTime() ?? 0) >= before - 1000);
      assert.deepEqual(endpoint.LastModifiedTime, endpoint.CreationTime);
    });

    it('refuses a taken name, a missing configuration, and updates while Creating', async () => {
      const taken = await rejection(emulator.sagemaker.send(new CreateEndpointCommand({ EndpointName: 'chat', EndpointConfigName: 'two-variants' })));
      assert.equal(taken.name, 'ValidationException');
      assert.equal(taken.message, `Cannot create already existing endpoint "${ARN_PREFIX}:endpoint/chat".`);
      const noConfig = await rejection(emulator.sagemaker.send(new CreateEndpointCommand({ EndpointName: 'other', EndpointConfigName: 'nope' })));
      assert.equal(noConfig.name, 'ValidationException');
      assert.equal(noConfig.message, `Could not find endpoint configuration "${ARN_PREFIX}:endpoint-config/nope".`);

      const update = await rejection(emulator.sagemaker.send(new UpdateEndpointCommand({ EndpointName: 'chat', EndpointConfigName: 'two-variants' })));
      assert.equal(update.name, 'ValidationException');
      assert.equal(update.message, `Cannot update in-progress endpoint "${ARN_PREFIX}:endpoint/chat".`);
      const weights = await rejection(
        emulator.sagemaker.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'chat', DesiredWeightsAndCapacities: [{ VariantName: 'blue', DesiredWeight: 1 }] })),
      );
      assert.equal(weights.message, `Cannot update in-progress endpoint "${ARN_PREFIX}:endpoint/chat".`);
      const missing = await rejection(emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'nope' })));
      assert.equal(missing.message, `Could not find endpoint "${ARN_PREFIX}:endpoint/nope".`);
    });

    it('lists endpoints by status and pages to the end', async () => {
      await emulator.sagemaker.send(new CreateEndpointCommand({ EndpointName: 'second', EndpointConfigName: 'two-variants' }));
      const creating = await emulator.sagemaker.send(new ListEndpointsCommand({ StatusEquals: 'Creating', SortBy: 'Name', SortOrder: 'Ascending' }));
      assert.deepEqual(creating.Endpoints?.map((summary) => [summary.EndpointName, summary.EndpointStatus]), [['Chat', 'Creating'], ['second', 'Creating']]);
      const seen: string[] = [];
      for (const page of await allPages('endpoints', paginateListEndpoints({ client: emulator.sagemaker, pageSize: 1 }, {}), 3)) {
        seen.push(...(page.Endpoints ?? []).map((summary) => summary.EndpointName ?? ''));
      }
      assert.deepEqual(seen, ['second', 'Chat']);
      assert.deepEqual((await emulator.sagemaker.send(new ListEndpointsCommand({ StatusEquals: 'InService' }))).Endpoints, []);
    });

    it('refuses to delete an endpoint while it is Creating', async () => {
      const refused = await rejection(emulator.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'second' })));
      assert.equal(refused.name, 'ValidationException');
      assert.equal(refused.message, `Cannot update in-progress endpoint "${ARN_PREFIX}:endpoint/second".`);
    });

    it('deletes a Failed endpoint, which has no instances, at once, as the SDK waiter sees', async () => {
      await emulator.restart({ maxConcurrentJobs: 0 }); // the runtime fails it: its image is not mapped
      const failed = await until('the endpoint to fail', async () => {
        const endpoint = await emulator.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'second' }));
        return endpoint.EndpointStatus === 'Failed' ? endpoint : undefined;
      });
      assert.match(failed.FailureReason ?? '', /is not mapped to a local command/);
      await emulator.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'second' }));
      const result = await waitUntilEndpointDeleted({ client: emulator.sagemaker, maxWaitTime: 10, minDelay: 1 }, { EndpointName: 'second' });
      assert.equal(result.state, 'SUCCESS');
      const again = await rejection(emulator.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'second' })));
      assert.equal(again.message, `Could not find endpoint "${ARN_PREFIX}:endpoint/second".`);
    });
  });
});
