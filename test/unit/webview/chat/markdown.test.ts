// The chat's markdown stage (webview/chat/markdown.ts): an answer's markup, links and images never
// become live HTML, code is highlighted with its language named, and half-streamed markdown renders.
// The sanitiser after it (DOMPurify) is tested in Chromium by the UI test's injection answer.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fenceLanguage, markdownToHtml } from '../../../../webview/chat/markdown';

describe('chat markdown', () => {
  it('writes raw HTML in an answer as text: scripts, event handlers, styles, forms and frames', () => {
    const html = markdownToHtml(
      [
        'Look: <img src=x onerror="document.body.dataset.pwned=1">',
        '',
        '<script>document.body.dataset.pwned = 1</script>',
        '',
        '<style>body { display: none }</style>',
        '',
        '<div style="position:fixed;inset:0;z-index:99999;background:red">covered</div>',
        '',
        '<form action="https://evil.example"><input name=p></form><iframe src="https://evil.example"></iframe>',
      ].join('\n'),
    );
    for (const tag of ['<img', '<script', '<style', '<div', '<form', '<input', '<iframe']) {
      assert.ok(!html.includes(tag), `${tag} is live in ${html}`);
    }
    assert.ok(html.includes('&lt;img src=x onerror=&quot;document.body.dataset.pwned=1&quot;&gt;'), html);
    assert.ok(html.includes('&lt;script&gt;'), html);
  });

  it('links only to http(s) and mailto: javascript:, data: and vbscript: links stay text', () => {
    const html = markdownToHtml('[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html,x) [d](vbscript:x) [e](https://example.com/x) [f](mailto:a@example.com)');
    assert.equal((html.match(/<a /g) ?? []).length, 2, html);
    assert.ok(html.includes('<a href="https://example.com/x">e</a>'), html);
    assert.ok(html.includes('<a href="mailto:a@example.com">f</a>'), html);
    assert.ok(!/href="(?:javascript|data|vbscript)/i.test(html), html);
  });

  it('turns an image into a link to it, so nothing loads from where the model says', () => {
    assert.equal(markdownToHtml('![a chart](https://example.com/c.png)'), '<p><a href="https://example.com/c.png">image: a chart</a></p>\n');
    assert.equal(markdownToHtml('![x](javascript:alert(1))'), '<p>![x](javascript:alert(1))</p>\n');
  });

  it('highlights a fenced block in its language and escapes code it does not know', () => {
    const python = markdownToHtml('```python\ndef add(a, b):\n    return a + b  # sum\n```');
    assert.match(python, /<pre><code class="language-python">/);
    assert.match(python, /<span class="hljs-keyword">def<\/span>/);
    assert.match(python, /<span class="hljs-comment"># sum<\/span>/);
    const unknown = markdownToHtml('```brainfuck\n<b>+-</b>\n```');
    assert.match(unknown, /<code class="language-brainfuck">&lt;b&gt;\+-&lt;\/b&gt;\n<\/code>/);
    assert.equal(fenceLanguage('hljs language-python'), 'python');
    assert.equal(fenceLanguage('language-c++'), 'c++');
    assert.equal(fenceLanguage('hljs'), undefined);
  });

  it('renders a half-streamed answer: an unclosed code fence is a code block so far', () => {
    const html = markdownToHtml('Here:\n\n```js\nconst x = 1;\nconst y');
    assert.match(html, /<pre><code class="language-js">/);
    assert.match(html, /const<\/span> y/);
  });

  it('renders tables and strikethrough, as models write them', () => {
    const html = markdownToHtml('| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~');
    assert.match(html, /<table>/);
    assert.match(html, /<s>old<\/s>/);
  });
});
