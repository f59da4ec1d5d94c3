// What a run says: a plain-text table (the CLI) and the answers of each case side by side across
// endpoints or parameter sets (Markdown, for comparing two model versions); JUnit XML is in junit.ts.
// Pure.
import { variantOf } from './plan';
import type { CallResult } from './runner';

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
}

export function summarize(results: readonly CallResult[]): RunSummary {
  const passed = results.filter((result) => result.passed).length;
  return { total: results.length, passed, failed: results.length - passed };
}

/** Why a result failed, in one line: the invocation's failure or the first failed assertion. */
export function failureLine(result: CallResult): string | undefined {
  if (result.failure) return `${result.failure.title}: ${result.failure.message}`;
  return result.assertions.find((assertion) => !assertion.passed)?.message;
}

const milliseconds = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)} ms`);

function cut(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** One row per call, aligned, then the totals. */
export function resultTable(results: readonly CallResult[]): string {
  const header = ['', 'case', 'endpoint', 'latency', 'tokens', 'result'];
  const rows = results.map((result) => [
    result.passed ? 'PASS' : 'FAIL',
    cut(result.call.caseName, 40),
    cut(variantOf(result.call), 32),
    milliseconds(result.answer?.latencyMs),
    result.answer?.tokens === undefined ? '—' : String(result.answer.tokens),
    cut(failureLine(result) ?? `${result.assertions.length} assertion${result.assertions.length === 1 ? '' : 's'} passed`, 100),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const { total, passed, failed } = summarize(results);
  return [line(header), ...rows.map(line), '', `${passed} of ${total} passed${failed ? `, ${failed} failed` : ''}`].join('\n');
}

/**
 * Each case's answers side by side, one column per variant (endpoint, parameter set): the result,
 * latency and tokens, the first failed assertion, and the answer's start.
 */
export function comparisonMarkdown(title: string, results: readonly CallResult[]): string {
  const variants = [...new Set(results.map((result) => variantOf(result.call)))];
  const cases = [...new Set(results.map((result) => result.call.caseName))];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;');
  const rows = cases.map((caseName) => {
    const cells = variants.map((variant) => {
      const result = results.find((candidate) => candidate.call.caseName === caseName && variantOf(candidate.call) === variant);
      if (!result) return '';
      const figures = `${result.passed ? '✅ pass' : '❌ fail'} · ${milliseconds(result.answer?.latencyMs)}${result.answer?.tokens === undefined ? '' : ` · ${result.answer.tokens} tokens`}`;
      const why = failureLine(result);
      const answer = result.answer ? `“${cut(result.answer.text, 160)}”` : '';
      return [figures, why, answer].filter(Boolean).map((part) => cell(part as string)).join('<br>');
    });
    return `| ${cell(caseName)} | ${cells.join(' | ')} |`;
  });
  const totals = variants.map((variant) => {
    const { total, passed } = summarize(results.filter((result) => variantOf(result.call) === variant));
    return `${passed}/${total} passed`;
  });
  return [`# ${title}`, '', `| case | ${variants.map(cell).join(' | ')} |`, `|---|${variants.map(() => '---').join('|')}|`, ...rows, `| **total** | ${totals.join(' | ')} |`, ''].join('\n');
}
