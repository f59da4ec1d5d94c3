// Reading a prompt-test file quickly (js-yaml for the value, `yaml` only to place things): the same
// file as `yaml` reads it — YAML 1.2's core schema (a date or `yes` stays text), aliases and a
// duplicate key read and placed by `yaml` — and cases placed where they are when asked.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePromptFile } from '../../../../../src/pipeline/promptTests/promptFile';

const FILE = `variables:
  when: 2024-01-01
  answer: yes
cases:
  - name: first
    prompt: "On {{when}}, {{answer}}"
    assert:
      - contains: "2024"
  - name: second
    prompt: hi
`;

it('reads values as YAML 1.2\'s core schema does: a date and yes stay text', () => {
  const parsed = parsePromptFile(FILE);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.file.cases[0].messages, [{ role: 'user', content: 'On 2024-01-01, yes' }]);
});

it('places each case and assertion where it is, when asked', () => {
  const parsed = parsePromptFile(FILE);
  assert.ok(parsed.ok);
  const [first, second] = parsed.file.cases;
  assert.equal(FILE.slice(first.range.start, first.range.start + 11), 'name: first');
  assert.equal(FILE.slice(second.range.start, second.range.start + 12), 'name: second');
  assert.equal(FILE.slice(first.assertionRanges[0].start, first.assertionRanges[0].end).trim(), 'contains: "2024"');
});

it('reads a file with aliases through yaml (which bounds their expansion) to the same cases', () => {
  const aliased = `x-prompt: &p "On 2024-01-01, yes"\ncases:\n  - name: first\n    prompt: *p\n    assert:\n      - contains: "2024"\n  - name: second\n    prompt: hi\n`;
  const parsed = parsePromptFile(aliased);
  assert.ok(!parsed.ok, 'x-prompt is not a key of the schema');
  assert.match(parsed.problems[0].message, /x-prompt/);
  assert.equal(parsed.problems[0].line, 1);
  const bomb = `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ncases: []\n`;
  const refused = parsePromptFile(bomb);
  assert.ok(!refused.ok);
  assert.match(refused.problems[0].message, /^YAML: .*alias/i);
});

it('puts a duplicate key and a syntax error on their lines', () => {
  const duplicate = parsePromptFile('cases:\n  - name: a\n    prompt: hi\n    prompt: again\n');
  assert.ok(!duplicate.ok);
  assert.equal(duplicate.problems[0].line, 4);
  assert.match(duplicate.problems[0].message, /^YAML: .*unique/i);
  const broken = parsePromptFile('cases:\n  - name: "a\n');
  assert.ok(!broken.ok);
  assert.match(broken.problems[0].message, /^YAML: /);
});
