// The extension's own inputs fed odd values — names with odd Unicode, control characters, overlong
// or empty; prompts in every script and none — through the real commands and the chat: each ends in
// an answer or one classified failure, never a crash. (The outer test also checks the extension
// host's log for unhandled rejections.)
import { CreateTrainingJobCommand, DescribeEndpointCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { classifyFailure } from '../../../src/failures/classify';
import { freeName, nameProblem, validName } from '../../../src/pipeline/names';
import { bucketNameProblem } from '../../../src/pickers/pickBucket';
import { deployTestEndpoint } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, notified, sageMaker, trainingJobInput, uniqueName, until } from '../../../harness/extensionHostFixtures';

const ODD_TEXT = [
  '',
  ' ',
  'a'.repeat(63),
  'a'.repeat(64),
  'x'.repeat(5000),
  '-leading',
  'trailing-',
  'naïve-模型-ｆｕｌｌ',
  'emoji-😀-👩‍👩‍👧',
  'rtl-\u202Eevil\u202C',
  'zero\u200Bwidth',
  'nul\u0000byte',
  'line\nbreak\ttab',
  'lone-\uD800-surrogate',
  'e\u0301-combining',
  `quote'"\`<script>`,
  '../../etc/passwd',
  '%00%2F',
  '\u0000\u0001\u001F\u007F',
  'ℌ𝔢𝔩𝔩𝔬 Ω≈ç√∫ ٩(͡๏̯͡๏)۶ ﷽',
];

describe('Odd inputs', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('checks every odd name without throwing, and never offers an invalid one', async () => {
    const taken = new Set(['a', 'a-2']);
    for (const text of ODD_TEXT) {
      const problem = nameProblem(text);
      assert.ok(problem === undefined || typeof problem === 'string');
      assert.equal(nameProblem(validName(text)), undefined, `validName(${JSON.stringify(text)}) is valid`);
      assert.ok(bucketNameProblem(text) === undefined || typeof bucketNameProblem(text) === 'string');
      const free = await freeName(validName(text), async (name) => taken.has(name));
      assert.equal(nameProblem(free), undefined, `free name for ${JSON.stringify(text)}: ${free}`);
    }
  });

  it('runs the commands with odd names to one classified failure each (or none), never a crash', async function () {
    this.timeout(120_000);
    const workbench = await activateWorkbench();
    const stopped = uniqueName('fuzz-source');
    await sageMaker().send(new CreateTrainingJobCommand({ ...trainingJobInput(stopped), CheckpointConfig: { S3Uri: `s3://demo-output/checkpoints/${stopped}/` } }));
    await sageMaker().send(new StopTrainingJobCommand({ TrainingJobName: stopped }));
    for (const name of ODD_TEXT) {
      const runs: [string, unknown[]][] = [
        ['sagemaker.trainingJob.showJson', [{ job: { name } }]],
        ['sagemaker.trainingJob.stop', [{ job: { name } }]],
        ['sagemaker.trainingJob.resume', [{ job: { name: stopped } }, name]],
        // From a job that cannot be deployed (it was stopped): a free name gets as far as the job's refusal.
        ['sagemaker.deployModel', [{ job: { name: stopped } }, { endpointName: name, instanceType: 'ml.m5.large', image: 'x', executionRoleArn: 'arn:aws:iam::000000000000:role/r', modelDataUrl: 's3://b/model.tar.gz' }]],
      ];
      for (const [command, args] of runs) {
        const texts = await notified(workbench, () => vscode.commands.executeCommand(command, ...args));
        assert.ok(texts.length <= 1, `${command} ${JSON.stringify(name)}: ${texts.join(' | ')}`);
        for (const text of texts) {
          assert.doesNotMatch(text, /ECONN|undefined|\[object Object\]/, `${command} ${JSON.stringify(name)}: ${text}`);
        }
      }
    }
  });

  it('streams answers to prompts in any script, or says why not, never crashing the chat', async function () {
    this.timeout(120_000);
    const workbench = await activateWorkbench();
    const endpoint = uniqueName('fuzz-chat');
    await deployTestEndpoint(emulatorUrl(), endpoint, 'random-gpt');
    await until(`endpoint ${endpoint} InService`, async () => {
      const status = (await sageMaker().send(new DescribeEndpointCommand({ EndpointName: endpoint }))).EndpointStatus;
      return status === 'InService' || String(status);
    }, 60_000);
    const session = workbench.chatPanels.show(endpoint);
    for (const format of ['messages', 'tgi'] as const) {
      session.handle({ type: 'parameters', parameters: { ...session.currentParameters, format, maxNewTokens: 4 } });
      for (const prompt of ODD_TEXT.filter((text) => text.trim() !== '')) {
        const turn = await session.send(prompt);
        // Answered; or refused by the model server, said in the chat's words with a next step.
        if (turn.state === 'failed') {
          assert.ok(turn.failure?.title && turn.failure.actions.length > 0, JSON.stringify(turn.failure));
          assert.doesNotMatch(`${turn.failure.title} ${turn.failure.message}`, /ECONN|\[object Object\]/);
        } else {
          assert.equal(turn.state, 'done', `${format} ${JSON.stringify(prompt)}`);
        }
      }
    }
    assert.equal(session.busy, false);
    // The host refuses a blank prompt and malformed panel messages without a failure.
    session.handle({ type: 'send', prompt: '   ' });
    assert.equal(session.busy, false);
    assert.equal(classifyFailure(undefined).kind, 'other');
  });
});
