// Serving from the editor, each command run in the real extension host against an emulator that runs
// jobs and scales endpoints every second, starting from the run's one trained GPT (a completed
// training job): register, approve and reject, deploy a version, autoscaling, test load, instance
// counts, blue/green updates and their rollback, batch transform and its output.
import { DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  DescribeTransformJobCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelVersionSummary } from '../../../src/pipeline/registry';
import type { DeploymentOutcome } from '../../../src/pipeline/endpointUpdates';
import type { TestLoadResult } from '../../../src/pipeline/testLoad';
import type { Workbench } from '../../../src/workbench';
import type { ResourceTree } from '../../../src/trees/resourceTree';
import { activateWorkbench, labelOf, s3, sageMaker, uniqueName } from '../../../harness/extensionHostFixtures';

const SERVING_URL = process.env.SAGEMAKER_SERVING_EMULATOR!;
const TRAINED_JOB = process.env.SAGEMAKER_TRAINED_JOB!;
const TRAINED_BUCKET = process.env.SAGEMAKER_TRAINED_BUCKET!;
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const IMAGE = 'sagemaker-emulator/builtin-gpt:latest';

/** `read` until it returns something, every 500 ms for at most `timeoutMs`; says what it waited for. */
async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}${last ? `; last error: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The item labelled `label` among a tree's children of `parent` (the root when undefined), read afresh. */
async function child(tree: ResourceTree, label: string, parent?: vscode.TreeItem): Promise<vscode.TreeItem | undefined> {
  return (await tree.getChildren(parent)).find((item) => labelOf(item) === label);
}

function tooltipOf(item: vscode.TreeItem): string {
  return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
}

describe('Serving: registry, endpoints, autoscaling, test load, batch transform', function () {
  this.timeout(120_000);
  const group = uniqueName('fixture-gpt');
  let workbench: Workbench;
  let previousUrl: string | undefined;
  let version1: ModelVersionSummary;
  let version2: ModelVersionSummary;
  const endpoint = uniqueName('served');
  const fixed = uniqueName('fixed');

  before(async () => {
    workbench = await activateWorkbench();
    const configuration = vscode.workspace.getConfiguration();
    previousUrl = configuration.inspect<string>('sagemaker.emulator.url')?.globalValue;
    await configuration.update('sagemaker.emulator.url', SERVING_URL, vscode.ConfigurationTarget.Global);
    await until('the connection to use the serving emulator', async () =>
      workbench.connection.settings.mode === 'emulator' && workbench.connection.settings.endpoint === SERVING_URL ? true : undefined,
    );
  });

  after(async () => {
    await vscode.workspace.getConfiguration().update('sagemaker.emulator.url', previousUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The version's item in the Models view, read afresh. */
  async function versionItem(version: { version: number }): Promise<vscode.TreeItem> {
    workbench.models.refresh();
    const groupItem = await child(workbench.models, group);
    assert.ok(groupItem, `group ${group} in the Models view`);
    const item = await child(workbench.models, `v${version.version}`, groupItem);
    assert.ok(item, `v${version.version} under ${group}`);
    return item;
  }

  it('registers a completed training job as version 1, pending approval, with its source job and final metrics', async () => {
    workbench.trainingJobs.refresh();
    const job = await until('the trained job in Training Jobs', () => child(workbench.trainingJobs, TRAINED_JOB));
    assert.equal(job.contextValue, 'trainingJob.completed');
    version1 = (await vscode.commands.executeCommand<ModelVersionSummary>('sagemaker.registerModel', job, {
      group,
      image: IMAGE,
      contentTypes: ['application/json'],
      approval: 'PendingManualApproval',
    }))!;
    assert.equal(version1.version, 1);
    const item = await versionItem(version1);
    assert.equal(item.contextValue, 'modelVersion.pendingManualApproval');
    assert.match(String(item.description), new RegExp(`^Pending approval · just now · from ${TRAINED_JOB}$`));
    assert.match(tooltipOf(item), /Image: sagemaker\\-emulator\/builtin\\-gpt:latest/);
    const metrics = await workbench.models.getChildren(item);
    assert.deepEqual(metrics.map(labelOf), ['train:loss']);
    assert.match(String(metrics[0].description), /^\d+\.\d+$/);

    const described = await serving().send(new DescribeModelPackageCommand({ ModelPackageName: version1.arn }));
    assert.equal(described.MetadataProperties?.GeneratedBy, `arn:aws:sagemaker:us-east-1:000000000000:training-job/${TRAINED_JOB}`);
    assert.equal(described.InferenceSpecification?.Containers?.[0].ModelDataUrl, `s3://${TRAINED_BUCKET}/models/${TRAINED_JOB}/output/model.tar.gz`);
    assert.match(described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri ?? '', /\/output\/model-metrics\.json$/);

    // The same job again is the next version.
    version2 = (await vscode.commands.executeCommand<ModelVersionSummary>('sagemaker.registerModel', job, {
      group,
      image: IMAGE,
      contentTypes: ['application/json'],
      approval: 'PendingManualApproval',
    }))!;
    assert.equal(version2.version, 2);
  });

  it('approves a version with its note, and refuses to reject one without a reason', async () => {
    await vscode.commands.executeCommand('sagemaker.modelVersion.approve', await versionItem(version1), 'passed the smoke test');
    const approved = await versionItem(version1);
    assert.equal(approved.contextValue, 'modelVersion.approved');
    assert.equal((approved.iconPath as vscode.ThemeIcon).id, 'verified-filled');
    assert.match(tooltipOf(approved), /Approval note: passed the smoke test/);
    const described = await serving().send(new DescribeModelPackageCommand({ ModelPackageName: version1.arn }));
    assert.equal(described.ModelApprovalStatus, 'Approved');
    assert.equal(described.ApprovalDescription, 'passed the smoke test');

    assert.equal(await vscode.commands.executeCommand('sagemaker.modelVersion.reject', await versionItem(version2), ''), undefined);
    assert.equal((await versionItem(version2)).contextValue, 'modelVersion.pendingManualApproval');
    await vscode.commands.executeCommand('sagemaker.modelVersion.reject', await versionItem(version2), 'loss too high');
    assert.equal((await versionItem(version2)).contextValue, 'modelVersion.rejected');
    assert.equal((await serving().send(new DescribeModelPackageCommand({ ModelPackageName: version2.arn }))).ApprovalDescription, 'loss too high');
  });

  it('deploys an approved version to InService, the variant naming its version, the endpoint its cost and the view the region\'s total', async () => {
    const costs: (string | undefined)[] = [];
    const subscription = workbench.endpoints.onDidChangeCost((cost) => costs.push(cost));
    try {
      const deployed = await vscode.commands.executeCommand<{ endpointName: string; outcome?: DeploymentOutcome }>('sagemaker.modelVersion.deploy', await versionItem(version1), {
        endpointName: endpoint,
        instanceType: 'ml.m5.xlarge',
        executionRoleArn: ROLE,
      });
      assert.deepEqual(deployed, { endpointName: endpoint, outcome: { kind: 'inService', configName: endpoint } });
      workbench.endpoints.refresh();
      const item = (await child(workbench.endpoints, endpoint))!;
      assert.equal(item.contextValue, 'endpoint.inService');
      assert.match(String(item.description), /^InService · \$0\.23\/h · /);
      const [variant] = await workbench.endpoints.getChildren(item);
      assert.equal(variant.description, `${group} v1 · 1/1 × ml.m5.xlarge · weight 1`);
      assert.equal(variant.contextValue, 'endpointVariant.fixed');
      assert.ok(costs.some((cost) => /^\$\d+\.\d+\/h( \+ price unknown \(.*\))? in us-east-1$/.test(cost ?? '')), costs.join(' | '));
    } finally {
      subscription.dispose();
    }
    const answer = await until('an answer from the deployed version', async () => (await invoke(endpoint)) || undefined);
    assert.ok(answer.length > 0);
  });

  it('deploys a version that is not approved only once told, approving it first when asked to', async () => {
    const deployed = await vscode.commands.executeCommand<{ endpointName: string; outcome?: DeploymentOutcome }>('sagemaker.modelVersion.deploy', await versionItem(version2), {
      endpointName: fixed,
      instanceType: 'ml.m5.large',
      executionRoleArn: ROLE,
      whenNotApproved: 'approve',
    });
    assert.equal(deployed?.outcome?.kind, 'inService');
    assert.equal((await versionItem(version2)).contextValue, 'modelVersion.approved');
    workbench.endpoints.refresh();
    // ml.m5.large is not in the shipped table: its cost says so rather than guessing.
    assert.match(String((await child(workbench.endpoints, fixed))!.description), /^InService · price unknown \(ml\.m5\.large\) · /);
  });

  it('sets an instance count by hand, refusing one outside a variant\'s autoscaling bounds', async () => {
    workbench.endpoints.refresh();
    const [variant] = await workbench.endpoints.getChildren(await child(workbench.endpoints, fixed));
    assert.equal(await vscode.commands.executeCommand('sagemaker.variant.setInstanceCount', variant, 2), 2);
    const scaled = await until('the fixed endpoint at 2 instances', async () => {
      const endpointNow = await serving().send(new DescribeEndpointCommand({ EndpointName: fixed }));
      return endpointNow.EndpointStatus === 'InService' && endpointNow.ProductionVariants?.[0].CurrentInstanceCount === 2 ? endpointNow : undefined;
    });
    assert.equal(scaled.ProductionVariants?.[0].DesiredInstanceCount, 2);
    workbench.endpoints.refresh();
    const item = (await child(workbench.endpoints, fixed))!;
    assert.match(String(item.description), /price unknown \(ml\.m5\.large\)/);
    const [after] = await workbench.endpoints.getChildren(item);
    assert.equal(after.description, `${group} v2 · 2/2 × ml.m5.large · weight 1`);
  });

  it('configures target tracking on a variant, shows the policy, and scales out under Send Test Load — seen in the view by itself', async () => {
    workbench.endpoints.refresh();
    const [variant] = await workbench.endpoints.getChildren(await child(workbench.endpoints, endpoint));
    const settings = await vscode.commands.executeCommand('sagemaker.variant.configureAutoscaling', variant, {
      minInstances: 1,
      maxInstances: 2,
      metric: 'invocations',
      targetValue: 60,
      scaleInCooldownSeconds: 600,
      scaleOutCooldownSeconds: 1,
    });
    assert.ok(settings);
    const resourceId = `endpoint/${endpoint}/variant/AllTraffic`;
    const targets = await autoscaling().send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [resourceId] }));
    assert.deepEqual(targets.ScalableTargets?.map((target) => [target.MinCapacity, target.MaxCapacity]), [[1, 2]]);
    const policies = await autoscaling().send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: resourceId }));
    assert.deepEqual(
      policies.ScalingPolicies?.map((policy) => [policy.PolicyName, policy.TargetTrackingScalingPolicyConfiguration?.TargetValue]),
      [['SageMakerEndpointInvocationScalingPolicy', 60]],
    );
    workbench.endpoints.refresh();
    const [configured] = await workbench.endpoints.getChildren(await child(workbench.endpoints, endpoint));
    assert.equal(configured.contextValue, 'endpointVariant.autoscaled');
    assert.match(tooltipOf(configured), /Autoscaling: 1–2 instances, target 60 invocations per instance per minute, cooldowns in 600 s \/ out 1 s/);

    // Visible, the view keeps re-reading an endpoint that autoscales: no refresh from here on.
    await vscode.commands.executeCommand('sagemaker.endpoints.focus');
    const result = (await vscode.commands.executeCommand<TestLoadResult>('sagemaker.endpoint.sendTestLoad', await child(workbench.endpoints, endpoint), {
      count: 60,
      ratePerSecond: 10,
      prompt: 'The cat',
      maxNewTokens: 4,
    }))!;
    assert.equal(result.succeeded, 60, result.firstError);
    assert.equal(result.failed, 0);
    assert.ok(result.p50Ms! > 0 && result.p95Ms! >= result.p50Ms!);

    // 10 a second is 600 a minute on one instance, ten times the target: target tracking adds the second.
    const scaledOut = await until('the view to show the variant scaled out to 2/2', async () => {
      const item = await child(workbench.endpoints, endpoint);
      if (!item) return undefined;
      const [current] = await workbench.endpoints.getChildren(item);
      return current?.description === `${group} v1 · 2/2 × ml.m5.xlarge · weight 1` ? current : undefined;
    }, 60_000);
    assert.equal(scaledOut.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'its scaling activity is a child');
    const activities = await workbench.endpoints.getChildren(scaledOut);
    assert.ok(activities.length >= 1);
    assert.equal(activities[0].contextValue, 'scalingActivity');
    assert.match(tooltipOf(activities[0]), /Cause: .*above the target of 60/);
    assert.match(String((await child(workbench.endpoints, endpoint))!.description), /^InService · \$0\.46\/h · /);
  });

  it('removes autoscaling, keeping the instances the variant has', async () => {
    workbench.endpoints.refresh();
    const [variant] = await workbench.endpoints.getChildren(await child(workbench.endpoints, endpoint));
    // Its modal confirmation is answered in the UI test; here it is given.
    assert.equal(await vscode.commands.executeCommand('sagemaker.variant.removeAutoscaling', variant, true), true);
    workbench.endpoints.refresh();
    const [fixedNow] = await workbench.endpoints.getChildren(await child(workbench.endpoints, endpoint));
    assert.equal(fixedNow.contextValue, 'endpointVariant.fixed');
    assert.equal(variant.contextValue, 'endpointVariant.autoscaled');
    const targets = await autoscaling().send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [`endpoint/${endpoint}/variant/AllTraffic`] }));
    assert.deepEqual(targets.ScalableTargets, []);
  });

  it('updates an endpoint to another version blue/green, then tells of a failed update that SageMaker rolled back', async () => {
    workbench.endpoints.refresh();
    const before = await describe(endpoint);
    const updated = await vscode.commands.executeCommand<DeploymentOutcome>('sagemaker.endpoint.updateToVersion', await child(workbench.endpoints, endpoint), {
      versionArn: version2.arn,
    });
    assert.equal(updated?.kind, 'inService');
    const after = await describe(endpoint);
    assert.notEqual(after.EndpointConfigName, before.EndpointConfigName);
    assert.equal(after.ProductionVariants?.[0].CurrentInstanceCount, before.ProductionVariants?.[0].CurrentInstanceCount, 'the scaled count is kept');
    workbench.endpoints.refresh();
    const [variant] = await workbench.endpoints.getChildren(await child(workbench.endpoints, endpoint));
    assert.match(String(variant.description), new RegExp(`^${group} v2 · `));

    // A version whose model data is not there: the new fleet cannot start, and SageMaker goes back.
    const { ModelPackageArn: broken } = await serving().send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: group,
        ModelApprovalStatus: 'Approved',
        InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: `s3://${TRAINED_BUCKET}/nowhere/model.tar.gz` }], SupportedContentTypes: ['application/json'], SupportedResponseMIMETypes: ['application/json'] },
      }),
    );
    const rolledBack = await vscode.commands.executeCommand<DeploymentOutcome>('sagemaker.endpoint.updateToVersion', variant, { versionArn: broken });
    assert.equal(rolledBack?.kind, 'rolledBack');
    assert.equal(rolledBack?.kind === 'rolledBack' && rolledBack.configName, after.EndpointConfigName);
    assert.match(rolledBack?.kind === 'rolledBack' ? rolledBack.reason : '', /Failed to download model data/);
    workbench.endpoints.refresh();
    const item = (await child(workbench.endpoints, endpoint))!;
    assert.match(tooltipOf(item), /Last update failed and was rolled back: Failed to download model data/);
    const [still] = await workbench.endpoints.getChildren(item);
    assert.match(String(still.description), new RegExp(`^${group} v2 · `), 'it still serves version 2');
  });

  it('runs a batch transform of a version over a prefix, lists the job and opens its .out answers', async () => {
    const prompts = ['The cat', 'A small robot', 'The baker'].map((inputs) => JSON.stringify({ inputs, parameters: { max_new_tokens: 4, seed: 1 } })).join('\n') + '\n';
    const prefix = `prompts-${uniqueName('batch')}/`;
    await s3Serving().send(new PutObjectCommand({ Bucket: TRAINED_BUCKET, Key: `${prefix}batch.jsonl`, Body: prompts }));
    const jobName = uniqueName('batch');
    const started = await vscode.commands.executeCommand<string>('sagemaker.runBatchTransform', await versionItem(version1), {
      jobName,
      inputUri: `s3://${TRAINED_BUCKET}/${prefix}`,
      outputUri: `s3://${TRAINED_BUCKET}/${jobName}-output/`,
      contentType: 'application/jsonlines',
      splitType: 'Line',
      instanceType: 'ml.m5.xlarge',
      instanceCount: 1,
      executionRoleArn: ROLE,
    });
    assert.equal(started, jobName);
    const job = await until('the transform job to complete', async () => {
      const described = await serving().send(new DescribeTransformJobCommand({ TransformJobName: jobName }));
      if (described.TransformJobStatus === 'Failed') throw new Error(described.FailureReason);
      return described.TransformJobStatus === 'Completed' ? described : undefined;
    }, 90_000);
    assert.equal(job.TransformInput?.SplitType, 'Line');
    workbench.transformJobs.refresh();
    const item = (await child(workbench.transformJobs, jobName))!;
    assert.equal(item.contextValue, 'transformJob.completed');
    const outputs = await workbench.transformJobs.getChildren(item);
    assert.deepEqual(outputs.map(labelOf), ['batch.jsonl.out']);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('sagemaker.transformOutput.open', outputs[0]);
    const lines = document!.getText().trimEnd().split('\n');
    assert.equal(lines.length, 3, document!.getText());
    for (const line of lines) assert.ok(Array.isArray(JSON.parse(line)) || typeof JSON.parse(line) === 'object', line);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document!.uri.toString());
  });

  /** The fixtures' clients follow the setting, which points at the serving emulator meanwhile. */
  function serving() {
    return sageMaker();
  }

  function s3Serving() {
    return s3();
  }

  function autoscaling() {
    return new ApplicationAutoScalingClient({ endpoint: SERVING_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }

  async function describe(name: string): Promise<DescribeEndpointCommandOutput> {
    return serving().send(new DescribeEndpointCommand({ EndpointName: name }));
  }

  async function invoke(name: string): Promise<string> {
    const runtime = await workbench.connection.clients.sageMakerRuntime();
    const { InvokeEndpointCommand } = await import('@aws-sdk/client-sagemaker-runtime');
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: 'application/json', Body: JSON.stringify({ inputs: 'The cat', parameters: { max_new_tokens: 4 } }) }));
    return Buffer.from(answer.Body).toString('utf8');
  }
});
