// Markdown as the plain text a reader sees: a prompt written as `## Adding numbers` or
// `**Explain** \`map\`` is titled "Adding numbers" / "Explain map" in the Conversations list, the
// panel's heading and exports. markdown-it (the chat webview's parser too) parses it; the text,
// code and image alt text of its inline tokens are kept, and syntax, link targets and HTML tags
// dropped. Pure: unit-tested in Node. The library is loaded when the first title is made.
import type MarkdownIt from 'markdown-it';
import { markdownItLibrary } from '../libraries';

type Parser = InstanceType<typeof MarkdownIt>;
type Token = ReturnType<Parser['parse']>[number];

// CommonMark with the GitHub extras the chat renders (tables, strikethrough); HTML is parsed so
// that its tags can be left out of the text.
let parser: Parser | undefined;
function markdownParser(): Parser {
  parser ??= new (markdownItLibrary())({ html: true, linkify: false, typographer: false });
  return parser;
}

/** The first line of text in the markdown (a code block's first line when it starts with one); '' when there is none. */
export function firstPlainLine(markdown: string): string {
  for (const token of markdownParser().parse(markdown, {})) {
    if (token.type === 'inline') {
      const line = inlineLines(token.children ?? []).find((text) => text !== '');
      if (line !== undefined) return line;
    } else if (token.type === 'fence' || token.type === 'code_block') {
      const line = token.content.split('\n').map(collapse).find((text) => text !== '');
      if (line !== undefined) return line;
    }
  }
  return '';
}

/** An inline token's children as lines of text (split where the source had a line break). */
function inlineLines(children: readonly Token[]): string[] {
  const lines = [''];
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') lines.push('');
    else lines[lines.length - 1] += tokenText(child);
  }
  return lines.map(collapse);
}

function tokenText(token: Token): string {
  switch (token.type) {
    case 'text':
    case 'code_inline':
      return token.content;
    case 'image':
      // Its alt text, as written (the children are the parsed alt).
      return (token.children ?? []).map(tokenText).join('');
    default:
      // Emphasis, links and HTML tags open and close around text: only their text counts.
      return '';
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
