// Tree item tooltips: a bold title, then one paragraph per line; text from the service is escaped,
// never taken as markup.
import * as vscode from 'vscode';

export function markdownTooltip(title: string, lines: (string | false | undefined | 0)[]): vscode.MarkdownString {
  return new vscode.MarkdownString([`**${escapeMarkdown(title)}**`, ...lines.filter((line): line is string => Boolean(line)).map(escapeMarkdown)].join('\n\n'));
}

/** Backslash-escapes markdown's punctuation (MarkdownString.appendText would also stop lines wrapping). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
