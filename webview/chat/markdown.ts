// A model's answer as HTML: markdown (markdown-it, CommonMark with GitHub tables and strikethrough)
// with code highlighted by highlight.js (a few languages LLM answers use most). Raw HTML in the
// answer is never passed through — markdown-it writes it as text — and links to anything but
// http(s) and mailto are left as text. The result still goes through the sanitiser (sanitize.ts)
// before it reaches the page. No DOM here: unit-tested in Node.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

for (const [name, language] of Object.entries({ bash, javascript, json, python, shell, sql, typescript, xml, yaml })) {
  hljs.registerLanguage(name, language);
}

/** The only link targets an answer may have: a web page or a mail address, opened by VS Code. */
export const SAFE_LINK = /^(?:https?:|mailto:)/i;

/** Off while rendering a streaming answer's open tail (markdownToHtml's option). */
let highlighting = true;

const markdown = new MarkdownIt({
  html: false, // `<script>` and friends in an answer are shown as text, not parsed as markup
  linkify: false,
  typographer: false,
  highlight: (code, language) => {
    if (!highlighting) return ''; // markdown-it escapes the code itself
    const name = language.trim().toLowerCase();
    if (name !== '' && hljs.getLanguage(name)) {
      // ignoreIllegals: a half-streamed block is still highlighted rather than thrown on.
      return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    }
    return ''; // markdown-it escapes the code itself
  },
});
markdown.validateLink = (url) => SAFE_LINK.test(url.trim());
// Images would load from wherever the model says: an image becomes a link to it, with its alt text.
markdown.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const source = String(token.attrGet('src') ?? '');
  const label = markdown.utils.escapeHtml(`image: ${token.content || source}`);
  return SAFE_LINK.test(source) ? `<a href="${markdown.utils.escapeHtml(source)}">${label}</a>` : label;
};

/**
 * The answer's markdown as HTML (to be sanitised before use). `highlight: false` leaves code blocks
 * plain: a streaming answer's open tail is rendered again every frame, so a code block is
 * highlighted once, when it is closed, rather than on every frame it grows (streamRender.ts).
 */
export function markdownToHtml(text: string, options: { highlight?: boolean } = {}): string {
  highlighting = options.highlight ?? true;
  try {
    return markdown.render(text);
  } finally {
    highlighting = true;
  }
}

/** The language a fenced block names (its info string's first word), for Insert at Cursor. */
export function fenceLanguage(className: string): string | undefined {
  return /(?:^|\s)language-([\w+#.-]+)/.exec(className)?.[1];
}
