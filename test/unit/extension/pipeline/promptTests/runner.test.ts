// The runner keeps at most N calls in flight, keeps results in the order of the calls, and turns a
// failed invocation into a failed case that says why. Its invocation is passed in: here a
// function that resolves when the test says so, so that what is in flight can be counted exactly.
import * as assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { it } from 'node:test';
import type { CallAnswer } from '../../../../../src/pipeline/promptTests/invoke';
import { planCalls } from '../../../../../src/pipeline/promptTests/plan';
import { parsePromptFile } from '../../../../../src/pipeline/promptTests/promptFile';
import { junitXml } from '../../../../../src/pipeline/promptTests/junit';
import { comparisonMarkdown, resultTable } from '../../../../../src/pipeline/promptTests/report';
import { runCalls, type CallResult } from '../../../../../src/pipeline/promptTests/runner';

function calls(cases: number, endpoints = ['e']) {
  const text = `cases:\n${Array.from({ length: cases }, (_, index) => `  - name: case ${index}\n    prompt: p${index}\n    assert:\n      - contains: "${index % 2 ? 'no' : 'ok'}"\n`).join('')}`;
  const parsed = parsePromptFile(text);
  assert.ok(parsed.ok);
  return planCalls(parsed.file, { endpoints });
}

it('keeps exactly the concurrency in flight, and the results in the order of the calls', async () => {
  const planned = calls(10);
  let inFlight = 0;
  let most = 0;
  const pending: (() => void)[] = [];
  const run = runCalls(planned, {
    concurrency: 3,
    invoke: (call) =>
      new Promise<CallAnswer>((resolve) => {
        inFlight++;
        most = Math.max(most, inFlight);
        pending.push(() => {
          inFlight--;
          resolve({ text: `ok ${call.caseName}`, latencyMs: 5, tokens: 2 });
        });
      }),
    describeFailure: () => assert.fail('nothing fails'),
  });
  // Answer the calls last-in first: each answer lets the next call start.
  for (let answered = 0; answered < 10; answered++) {
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(pending.length > 0, `a call is waiting (${answered} answered)`);
    pending.pop()!();
  }
  const results = await run;
  assert.equal(most, 3);
  assert.deepEqual(
    results.map((result) => [result.call.caseName, result.passed]),
    planned.map((call, index) => [call.caseName, index % 2 === 0]),
  );
});

it('turns a failed invocation into a failed case with the failure\'s words, and goes on', async () => {
  const results = await runCalls(calls(2), {
    concurrency: 4,
    invoke: async (call) => {
      if (call.caseName === 'case 0') throw Object.assign(new Error('Endpoint e of account 1 not found.'), { name: 'ValidationError' });
      return { text: 'no', latencyMs: 1, tokens: 1 };
    },
    describeFailure: (error) => ({ title: 'Endpoint e is not available', message: (error as Error).message }),
  });
  assert.deepEqual(results[0].failure, { title: 'Endpoint e is not available', message: 'Endpoint e of account 1 not found.' });
  assert.equal(results[0].passed, false);
  assert.equal(results[1].passed, true);
});

it('stops starting calls once cancelled', async () => {
  const controller = new AbortController();
  const started: string[] = [];
  const results = await runCalls(calls(6), {
    concurrency: 2,
    signal: controller.signal,
    invoke: async (call) => {
      started.push(call.caseName);
      if (started.length === 3) controller.abort();
      return { text: 'ok', latencyMs: 1, tokens: 1 };
    },
    describeFailure: () => assert.fail('nothing fails'),
  });
  assert.equal(started.length, 3);
  assert.equal(results.length, 3);
});

function sampleResults(): CallResult[] {
  const [first, second] = calls(2, ['model-a']);
  return [
    { call: first, passed: true, answer: { text: 'ok <b>&</b>\u0001', latencyMs: 12, tokens: 3 }, assertions: [{ assertion: first.assertions[0], passed: true, message: 'contains "ok"' }] },
    {
      call: second,
      passed: false,
      answer: { text: 'nope', latencyMs: 20, tokens: 1 },
      assertions: [{ assertion: second.assertions[0], passed: false, message: 'contains "no" & <more> — failed: the answer was "nope"' }],
    },
  ];
}

it('writes JUnit XML that parses back with every case, failure and answer escaped', () => {
  const xml = junitXml('bot.prompts.yaml', sampleResults(), 1500);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites'));
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
    testsuites: { tests: string; failures: string; testsuite: { name: string; time: string; testcase: { name: string; classname: string; failure?: { message: string }; 'system-out': string }[] } };
  };
  assert.equal(parsed.testsuites.tests, '2');
  assert.equal(parsed.testsuites.failures, '1');
  const suite = parsed.testsuites.testsuite;
  assert.equal(suite.time, '1.500');
  assert.deepEqual(suite.testcase.map((testcase) => [testcase.name, testcase.classname]), [['case 0', 'bot.prompts.yaml.model-a'], ['case 1', 'bot.prompts.yaml.model-a']]);
  assert.equal(suite.testcase[0].failure, undefined);
  assert.equal(suite.testcase[0]['system-out'], 'ok <b>&</b>\uFFFD', 'markup in an answer is text; a control character is replaced');
  assert.equal(suite.testcase[1].failure?.message, 'contains "no" & <more> — failed: the answer was "nope"');
});

it('prints a table with each call\'s result and the totals, and a comparison with one column per endpoint', () => {
  const table = resultTable(sampleResults());
  assert.match(table, /^ {6}case {4}endpoint {2}latency {2}tokens {2}result\nPASS {2}case 0 {2}model-a {3}12 ms {4}3 {7}1 assertion passed\nFAIL {2}case 1/);
  assert.match(table, /\n\n1 of 2 passed, 1 failed$/);
  const [first] = calls(1, ['a', 'b']).slice(0, 1);
  const [, secondVariant] = calls(1, ['a', 'b']);
  const markdown = comparisonMarkdown('Prompt tests', [
    { call: first, passed: true, answer: { text: 'ok | pipe', latencyMs: 10, tokens: 2 }, assertions: [] },
    { call: secondVariant, passed: false, failure: { title: 'Endpoint b is not available', message: 'not found' }, assertions: [] },
  ]);
  assert.equal(
    markdown,
    '# Prompt tests\n\n| case | a | b |\n|---|---|---|\n| case 0 | ✅ pass · 10 ms · 2 tokens<br>“ok \\| pipe” | ❌ fail · —<br>Endpoint b is not available: not found |\n| **total** | 1/1 passed | 0/1 passed |\n',
  );
});
