// The checks of an answer: each assertion of a case passes or fails with a message that says what
// was expected and what came. Similarity is measured on words (lower-cased letters and digits):
// Jaccard — shared distinct words over all distinct words — or the cosine of the word counts. Pure.
import { answerValidator, type Assertion } from './promptFile';

export interface AnswerFacts {
  text: string;
  /** The whole answer, from sending the request to its last byte. */
  latencyMs: number;
  /** Undefined when the server did not say (a whole answer without usage or details). */
  tokens?: number;
}

export interface AssertionResult {
  assertion: Assertion;
  passed: boolean;
  /** What was checked and, when it failed, what came instead. */
  message: string;
}

/** How an assertion reads, e.g. `contains "Paris"`. */
export function describeAssertion(assertion: Assertion): string {
  switch (assertion.kind) {
    case 'contains':
    case 'not-contains':
    case 'equals':
      return `${assertion.kind} ${JSON.stringify(assertion.text)}${assertion.ignoreCase ? ' (ignoring case)' : ''}`;
    case 'regex':
      return `matches /${assertion.pattern}/${assertion.flags}`;
    case 'json':
      return assertion.schema ? 'is JSON valid against its schema' : 'is JSON';
    case 'max-latency-ms':
      return `answers within ${assertion.limit} ms`;
    case 'max-tokens':
      return `has at most ${assertion.limit} tokens`;
    case 'similar':
      return `is similar to ${JSON.stringify(assertion.text)} (${assertion.measure} ≥ ${assertion.threshold})`;
  }
}

export function checkAnswer(assertions: readonly Assertion[], answer: AnswerFacts): AssertionResult[] {
  return assertions.map((assertion) => {
    const { passed, detail } = check(assertion, answer);
    return { assertion, passed, message: passed ? describeAssertion(assertion) : `${describeAssertion(assertion)} — failed: ${detail}` };
  });
}

function check(assertion: Assertion, answer: AnswerFacts): { passed: boolean; detail: string } {
  const fold = (text: string) => ('ignoreCase' in assertion && assertion.ignoreCase ? text.toLowerCase() : text);
  const excerpt = `the answer was ${quote(answer.text)}`;
  switch (assertion.kind) {
    case 'contains':
      return { passed: fold(answer.text).includes(fold(assertion.text)), detail: excerpt };
    case 'not-contains':
      return { passed: !fold(answer.text).includes(fold(assertion.text)), detail: excerpt };
    case 'equals':
      return { passed: fold(answer.text.trim()) === fold(assertion.text.trim()), detail: excerpt };
    case 'regex':
      return { passed: new RegExp(assertion.pattern, assertion.flags).test(answer.text), detail: excerpt };
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(unfenced(answer.text));
      } catch (error) {
        return { passed: false, detail: `it is not JSON (${(error as Error).message}); ${excerpt}` };
      }
      if (!assertion.schema) return { passed: true, detail: '' };
      const validate = answerValidator(assertion.schema);
      if (validate(value)) return { passed: true, detail: '' };
      const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is not valid'}`);
      return { passed: false, detail: `${problems.join('; ')}; ${excerpt}` };
    }
    case 'max-latency-ms':
      return { passed: answer.latencyMs <= assertion.limit, detail: `it took ${Math.round(answer.latencyMs)} ms` };
    case 'max-tokens':
      return answer.tokens === undefined
        ? { passed: false, detail: 'the endpoint did not say how many tokens it generated (stream the answer: stream: true)' }
        : { passed: answer.tokens <= assertion.limit, detail: `it had ${answer.tokens} tokens` };
    case 'similar': {
      const score = similarity(assertion.measure, answer.text, assertion.text);
      return { passed: score >= assertion.threshold, detail: `its ${assertion.measure} similarity was ${score.toFixed(3)}; ${excerpt}` };
    }
  }
}

/** An answer that is one fenced code block (```json … ```) is read as the block's content. */
function unfenced(text: string): string {
  const fenced = /^\s*```[\w-]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced ? fenced[1] : text;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

/** Lower-cased runs of letters and digits. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Similarity in [0, 1]; two texts without words are alike (1), one without is not (0). */
export function similarity(measure: 'jaccard' | 'cosine', a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  if (left.length === 0 || right.length === 0) return left.length === right.length ? 1 : 0;
  if (measure === 'jaccard') {
    const leftSet = new Set(left);
    const rightSet = new Set(right);
    const shared = [...leftSet].filter((word) => rightSet.has(word)).length;
    return shared / (leftSet.size + rightSet.size - shared);
  }
  const counts = (list: string[]) => list.reduce((map, word) => map.set(word, (map.get(word) ?? 0) + 1), new Map<string, number>());
  const leftCounts = counts(left);
  const rightCounts = counts(right);
  let dot = 0;
  for (const [word, count] of leftCounts) dot += count * (rightCounts.get(word) ?? 0);
  const norm = (map: Map<string, number>) => Math.sqrt([...map.values()].reduce((sum, count) => sum + count * count, 0));
  return dot / (norm(leftCounts) * norm(rightCounts));
}
