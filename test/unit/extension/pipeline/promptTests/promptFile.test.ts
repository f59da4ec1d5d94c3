// The prompt-test file format: a file as users write it read into cases, and each mistake reported
// on its own line with what to do.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import schema from '../../../../../schemas/prompt-tests.schema.json';
import { PARAMETER_LIMITS } from '../../../../../src/pipeline/chat/types';
import { parsePromptFile, type FileProblem, type PromptTestFile } from '../../../../../src/pipeline/promptTests/promptFile';

const EXAMPLE = `# Guards the support bot's answers
description: Support bot
format: messages
parameters:
  maxNewTokens: 64
variables:
  product: Workbench
matrix:
  endpoints: [bot-v1, bot-v2]
cases:
  - name: greets by product
    system: You are the {{product}} assistant.
    prompt: Say hello to {{ product }} users.
    assert:
      - contains: hello
        ignore-case: true
      - not-contains: error
      - regex: "^[A-Z]"
        flags: m
      - max-latency-ms: 5000
      - max-tokens: 64
      - similar: hello workbench users
        measure: cosine
        threshold: 0.3
  - name: answers in JSON
    variables:
      product: Other
    messages:
      - role: user
        content: Give {{product}} as JSON
    parameters:
      temperature: 0.5
    assert:
      - json:
          schema: { type: object, required: [name] }
      - equals: '{"name": "Other"}'
`;

function parsed(text: string): PromptTestFile {
  const result = parsePromptFile(text);
  if (!result.ok) assert.fail(result.problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`).join('\n'));
  return result.file;
}

function problems(text: string): FileProblem[] {
  const result = parsePromptFile(text);
  assert.equal(result.ok, false, 'the file should have problems');
  return result.ok ? [] : result.problems;
}

/** The one problem of the text, with the line it is reported on and the text under it. */
function onlyProblem(text: string): { line: number; message: string; under: string } {
  const found = problems(text);
  assert.equal(found.length, 1, found.map((problem) => problem.message).join('\n'));
  return { line: found[0].line, message: found[0].message, under: text.slice(found[0].range.start, found[0].range.end) };
}

describe('prompt-test files', () => {
  it('reads cases with variables put in, system and messages, parameters and each kind of assertion', () => {
    const file = parsed(EXAMPLE);
    assert.equal(file.format, 'messages');
    assert.equal(file.stream, true);
    assert.equal(file.concurrency, 4);
    assert.deepEqual(file.matrix.endpoints, ['bot-v1', 'bot-v2']);
    assert.deepEqual(
      file.cases.map((promptCase) => promptCase.name),
      ['greets by product', 'answers in JSON'],
    );
    assert.deepEqual(file.cases[0].messages, [
      { role: 'system', content: 'You are the Workbench assistant.' },
      { role: 'user', content: 'Say hello to Workbench users.' },
    ]);
    assert.deepEqual(file.cases[1].messages, [{ role: 'user', content: 'Give Other as JSON' }], 'a case\'s variables win over the file\'s');
    assert.deepEqual(file.cases[0].assertions, [
      { kind: 'contains', text: 'hello', ignoreCase: true },
      { kind: 'not-contains', text: 'error', ignoreCase: false },
      { kind: 'regex', pattern: '^[A-Z]', flags: 'm' },
      { kind: 'max-latency-ms', limit: 5000 },
      { kind: 'max-tokens', limit: 64 },
      { kind: 'similar', text: 'hello workbench users', measure: 'cosine', threshold: 0.3 },
    ]);
    assert.deepEqual(file.cases[1].assertions, [
      { kind: 'json', schema: { type: 'object', required: ['name'] } },
      { kind: 'equals', text: '{"name": "Other"}', ignoreCase: false },
    ]);
    assert.deepEqual(file.cases[1].parameters, { temperature: 0.5 });
    assert.equal(EXAMPLE.slice(file.cases[1].range.start).split('\n')[0], 'name: answers in JSON', 'a case\'s range starts at its first key');
  });

  it('defaults a similarity to Jaccard with a threshold of 0.5', () => {
    const file = parsed('cases:\n  - name: a\n    prompt: hi\n    assert:\n      - similar: hello\n');
    assert.deepEqual(file.cases[0].assertions, [{ kind: 'similar', text: 'hello', measure: 'jaccard', threshold: 0.5 }]);
  });

  it('reports a YAML syntax error on its line', () => {
    const problem = onlyProblem('cases:\n  - name: a\n    prompt: "unclosed\n');
    assert.match(problem.message, /^YAML: /);
    assert.ok(problem.line >= 3, `line ${problem.line}`);
  });

  it('reports an unknown key on the key itself, naming where it is', () => {
    const problem = onlyProblem('cases:\n  - name: a\n    prompt: hi\n    assert:\n      - containz: hello\n');
    assert.equal(problem.line, 5);
    assert.equal(problem.under, 'containz');
    assert.equal(problem.message, 'Unknown key "containz" in assertion 1 of case 1.');
  });

  it('takes maxNewTokens up to 4096, the chat\'s limit, and refuses 4097 on its line', () => {
    const text = (value: number) => `parameters:\n  maxNewTokens: ${value}\ncases:\n  - name: a\n    prompt: hi\n`;
    assert.equal(parsed(text(4096)).parameters.maxNewTokens, 4096);
    const problem = onlyProblem(text(4097));
    assert.equal(problem.line, 2);
    assert.equal(problem.under, '4097');
    assert.match(problem.message, /"maxNewTokens" must be <= 4096/);
  });

  it('keeps the schema\'s parameter limits equal to the chat\'s', () => {
    const properties = schema.definitions.parameters.properties;
    for (const name of ['maxNewTokens', 'temperature', 'topP', 'seed'] as const) {
      assert.deepEqual({ min: properties[name].minimum, max: properties[name].maximum }, PARAMETER_LIMITS[name], name);
    }
  });

  it('reports a format that is not known, with the ones that are', () => {
    const problem = onlyProblem('format: openai\ncases:\n  - name: a\n    prompt: hi\n');
    assert.equal(problem.line, 1);
    assert.equal(problem.message, '"format" must be one of: messages, tgi, lmi, jumpstart, custom.');
  });

  it('reports an unknown variable on the string that names it', () => {
    const problem = onlyProblem('variables: { a: 1 }\ncases:\n  - name: a\n    prompt: "{{a}} and {{b}}"\n');
    assert.equal(problem.line, 4);
    assert.equal(problem.under, '"{{a}} and {{b}}"');
    assert.match(problem.message, /Unknown variable \{\{b\}\}/);
  });

  it('reports two checks in one assertion, a modifier of another kind, and a regex that does not compile', () => {
    const found = problems(
      'cases:\n  - name: a\n    prompt: hi\n    assert:\n      - contains: x\n        regex: y\n      - contains: x\n        flags: i\n      - regex: "(unclosed"\n',
    );
    assert.deepEqual(
      found.map((problem) => [problem.line, problem.message.replace(/:.*$/s, '')]),
      [
        [5, 'One check per assertion'],
        [8, '"flags" does not apply to contains (it takes ignore-case).'.replace(/:.*$/s, '')],
        [9, 'Not a valid regular expression'],
      ],
    );
  });

  it('reports a case with neither prompt nor messages, with both, and a repeated case name', () => {
    const found = problems('cases:\n  - name: a\n  - name: a\n    prompt: hi\n    messages: [{ role: user, content: hi }]\n');
    assert.deepEqual(
      found.map((problem) => [problem.line, problem.message]),
      [
        [2, 'Case "a" needs either prompt or messages (not both).'],
        [3, 'Another case is already named "a" (case 1): each case needs its own name.'],
        [3, 'Case "a" needs either prompt or messages (not both).'],
      ],
    );
  });

  it('refuses a conversation in a format without one (TGI, LMI, a {{prompt}} template) but takes a system prompt there, and messages that do not end with the user', () => {
    const conversation = '    messages:\n      - { role: user, content: hi }\n      - { role: assistant, content: hello }\n      - { role: user, content: again }\n';
    for (const format of ['tgi', 'lmi']) {
      const refused = onlyProblem(`format: ${format}\ncases:\n  - name: a\n${conversation}`);
      assert.equal(refused.line, 5, format);
      assert.match(refused.message, new RegExp(`^${format === 'tgi' ? 'TGI' : 'LMI/DJL'} sends one prompt, not a conversation`));
      assert.equal(parsed(`format: ${format}\ncases:\n  - name: a\n    system: be brief\n    prompt: hi\n`).cases[0].messages.length, 2, format);
    }
    const template = (request: string) => `format: custom\ntemplate:\n  request: '${request}'\n  answerPath: $.text\ncases:\n  - name: a\n${conversation}`;
    assert.match(onlyProblem(template('{"p": "{{prompt}}"}')).message, /^Custom template sends one prompt/);
    assert.equal(parsed(template('{"m": "{{messages}}"}')).cases[0].messages.length, 3);
    assert.equal(parsed(`format: jumpstart\ncases:\n  - name: a\n${conversation}`).cases[0].messages.length, 3);
    const problem = onlyProblem('cases:\n  - name: a\n    messages:\n      - { role: user, content: hi }\n      - { role: assistant, content: hello }\n');
    assert.equal(problem.line, 4);
    assert.match(problem.message, /must end with the user's turn/);
  });

  it('reports an answer schema that is not a valid JSON Schema', () => {
    const problem = onlyProblem('cases:\n  - name: a\n    prompt: hi\n    assert:\n      - json:\n          schema: { type: nonsense }\n');
    assert.equal(problem.line, 6);
    assert.match(problem.message, /^Not a valid JSON Schema/);
  });

  it('reads the EULA acceptance and a custom template, written as YAML or as JSON text', () => {
    const file = parsed(
      'format: custom\nacceptEula: true\ntemplate:\n  request: { prompt: "{{prompt}}", max_length: "{{max_new_tokens}}", stream: true }\n  answerPath: $.output.text\n  chunkPath: $.delta.text\ncases:\n  - name: a\n    prompt: hi\n',
    );
    assert.equal(file.acceptEula, true);
    assert.deepEqual(file.template, { request: '{"prompt":"{{prompt}}","max_length":"{{max_new_tokens}}","stream":true}', answerPath: '$.output.text', chunkPath: '$.delta.text' });
    const text = parsed('template:\n  request: \'{"inputs": "{{prompt}}"}\'\n  answerPath: $[0].generated_text\ncases:\n  - name: a\n    prompt: hi\n    parameters: { format: custom }\n');
    assert.deepEqual(text.template, { request: '{"inputs": "{{prompt}}"}', answerPath: '$[0].generated_text' });
    assert.equal(text.acceptEula, false);
  });

  it('says a template nothing uses is for format: custom, on its key', () => {
    const unused = onlyProblem('format: tgi\ntemplate:\n  request: { p: "{{prompt}}" }\n  answerPath: $.text\ncases:\n  - name: a\n    prompt: hi\n');
    assert.deepEqual([unused.line, unused.under], [2, 'template']);
    assert.match(unused.message, /^The template is used only by format: custom, which nothing here chooses/);
  });

  it('reports each problem of a template on the field it is about, in the codec\'s words', () => {
    const found = problems(
      'format: custom\ntemplate:\n  request: \'{"prompt": "hi"}\'\n  answerPath: $.output..text\n  chunkPath: "delta["\ncases:\n  - name: a\n    prompt: hi\n',
    );
    assert.deepEqual(
      found.map((problem) => [problem.line, problem.message.slice(0, 40)]),
      [
        [3, 'The request template needs {{prompt}} or'],
        [4, 'The answer path: The path "$.output..tex'],
        [5, 'The stream chunk path: The path "delta["'],
      ],
    );
    const notJson = onlyProblem('format: custom\ntemplate:\n  request: \'{"prompt": {{prompt}}}\'\n  answerPath: $.text\ncases:\n  - name: a\n    prompt: hi\n');
    assert.equal(notJson.line, 3);
    assert.match(notJson.message, /^The request template is not JSON: /);
    const noPath = onlyProblem('format: custom\ntemplate:\n  request: { p: "{{prompt}}" }\n  answerPath: " "\ncases:\n  - name: a\n    prompt: hi\n');
    assert.deepEqual([noPath.line, noPath.message], [4, 'The custom format needs the path to the answer\'s text, e.g. $.output.text.']);
    const missing = onlyProblem('format: custom\ntemplate:\n  request: { p: "{{prompt}}" }\ncases:\n  - name: a\n    prompt: hi\n');
    assert.deepEqual([missing.line, missing.message], [3, '"template" needs "answerPath".'], 'on the template, as every missing key is');
  });

  it('says where the custom format is chosen without a template', () => {
    const found = problems('matrix:\n  parameters:\n    - { name: mine, format: custom }\ncases:\n  - name: a\n    prompt: hi\n    parameters: { format: custom }\n');
    assert.deepEqual(
      found.map((problem) => [problem.line, problem.message]),
      [3, 7].map((line) => [line, 'The custom format needs a request template and a path to the answer. Add template: with request and answerPath (and chunkPath for a streamed answer).']),
    );
  });

  it('says an empty file needs cases, and a file without cases names the missing key', () => {
    assert.match(onlyProblem('').message, /empty/);
    assert.equal(onlyProblem('description: x\n').message, 'The file needs "cases".');
  });
});
