// Conversation titles as a reader sees them: the first prompt's markdown (headings, emphasis, code,
// links, images, HTML, lists, quotes, fences) reduced to its first line of plain text, shortened at
// the edge, and kept titles of before (raw first lines) recognised as defaults rather than names.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTitle, isDefaultTitle, TITLE_MAX_LENGTH } from '../../../../../src/pipeline/chat/conversations';
import { firstPlainLine } from '../../../../../src/pipeline/chat/plainText';
import type { Turn } from '../../../../../src/pipeline/chat/types';

const prompt = (text: string): Turn[] => [{ id: 1, role: 'user', text }];

describe('conversation titles in plain text', () => {
  const cases: [string, string][] = [
    ['## Adding numbers\n\nWrite a function that adds two numbers.', 'Adding numbers'],
    ['Setext heading\n===\nbody', 'Setext heading'],
    ['**Explain** `Array.prototype.map` in _one_ ~~line~~ sentence', 'Explain Array.prototype.map in one line sentence'],
    ['See [the docs](https://example.com/x) and ![a chart](chart.png)', 'See the docs and a chart'],
    ['<b>bold</b> <script>alert(1)</script>text', 'bold alert(1)text'],
    ['- first item\n- second item', 'first item'],
    ['> quoted question\n> more', 'quoted question'],
    ['1. step one', 'step one'],
    ['```python\n\nprint("hi")\n```\nWhat does it print?', 'print("hi")'],
    ['   \n\n  First   line  \nsecond line', 'First line'],
    ['Escaped \\*stars\\* stay', 'Escaped *stars* stay'],
    ['| a | b |\n|---|---|\n| 1 | 2 |', 'a'],
  ];
  for (const [markdown, expected] of cases) {
    it(`titles ${JSON.stringify(markdown.slice(0, 30))} as ${JSON.stringify(expected)}`, () => {
      assert.equal(defaultTitle(prompt(markdown)), expected);
    });
  }

  it('has no title for markdown with no text: a rule, an empty heading, only HTML', () => {
    assert.equal(firstPlainLine('---'), '');
    assert.equal(firstPlainLine('#'), '');
    assert.equal(firstPlainLine('<br>'), '');
    assert.equal(defaultTitle(prompt('***')), 'New conversation');
  });

  it('shortens the plain text, not the markdown, at the edge', () => {
    const exactly = 'x'.repeat(TITLE_MAX_LENGTH);
    assert.equal(defaultTitle(prompt(`# ${exactly}`)), exactly);
    const over = defaultTitle(prompt(`# ${exactly}y`));
    assert.equal(over.length, TITLE_MAX_LENGTH);
    assert.ok(over.endsWith('…'), over);
  });

  it('recognises a default title kept before titles were plain text, and a name the user gave', () => {
    const turns = prompt('## Adding numbers\nmore');
    assert.equal(isDefaultTitle('## Adding numbers', turns), true);
    assert.equal(isDefaultTitle('Adding numbers', turns), true);
    assert.equal(isDefaultTitle('My sums', turns), false);
  });
});
