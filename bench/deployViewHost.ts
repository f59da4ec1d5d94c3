// Loaded by the extension host as `extensionTestsPath` for `npm run bench:deploy-view`: deploys a
// registered version with Deploy Model Version, N times, and for each records when DescribeEndpoint
// (an SDK client asking every 50 ms, beside the extension) first says InService and when the
// Endpoints view — read as VS Code reads it, on each change it announces — first shows it InService.
// Writes the pairs to the file named by SAGEMAKER_BENCH_RESULTS.
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ModelVersionSummary } from '../src/pipeline/registry';
import type { Workbench } from '../src/workbench';

const ROUNDS = 5;

export async function run(): Promise<void> {
  const workbench = (await vscode.extensions.getExtension<Workbench>('llm-workbench.sagemaker-llm-workbench')!.activate())!;
  const url = vscode.workspace.getConfiguration().get<string>('sagemaker.emulator.url')!;
  const sageMaker = new SageMakerClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  await vscode.commands.executeCommand('sagemaker.endpoints.focus');
  workbench.trainingJobs.refresh();
  const job = (await workbench.trainingJobs.getChildren()).find((item) => item.label === process.env.SAGEMAKER_TRAINED_JOB)!;
  const version = (await vscode.commands.executeCommand<ModelVersionSummary>('sagemaker.registerModel', job, {
    group: 'bench-deploy-view',
    image: 'sagemaker-emulator/builtin-gpt:latest',
    contentTypes: ['application/json'],
    approval: 'Approved',
  }))!;
  const node = { version }; // what Deploy Model Version reads of a tree node
  const rounds: { describedMs: number; shownMs: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const name = `bench-deploy-view-${round}`;
    let described: number | undefined;
    let shown: number | undefined;
    let done = false;
    // SageMaker's own answer, as often as is useful.
    const describing = (async () => {
      while (!done && described === undefined) {
        const endpoint = await sageMaker.send(new DescribeEndpointCommand({ EndpointName: name })).catch(() => undefined);
        if (endpoint?.EndpointStatus === 'InService') described = performance.now();
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    // The view, each time it says it changed.
    const subscription = workbench.endpoints.onDidChangeTreeData(async () => {
      if (shown !== undefined) return;
      const items = await workbench.endpoints.getChildren();
      if (items.some((item) => item.label === name && item.contextValue === 'endpoint.inService')) shown ??= performance.now();
    });
    await vscode.commands.executeCommand('sagemaker.modelVersion.deploy', node, { endpointName: name, instanceType: 'ml.m5.xlarge', executionRoleArn: 'arn:aws:iam::000000000000:role/bench' });
    const deadline = Date.now() + 30_000;
    while ((shown === undefined || described === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    done = true;
    subscription.dispose();
    await describing;
    if (shown === undefined || described === undefined) throw new Error(`round ${round}: described ${described}, shown ${shown}`);
    rounds.push({ describedMs: described, shownMs: shown });
  }
  sageMaker.destroy();
  writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify(rounds));
}
