// A run as JUnit XML, for CI systems (Jenkins, GitLab, GitHub's test reporters), written with
// fast-xml-parser's builder, which escapes. Its own module: the CLI loads it (and the XML library)
// only when --junit asks for it, so neither its start nor the extension's activation pays for it.
import { XMLBuilder } from 'fast-xml-parser';
import { variantOf } from './plan';
import { summarize } from './report';
import type { CallResult } from './runner';

/** XML 1.0 forbids most control characters, which a model's byte soup may contain. */
const xmlSafe = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');

/** JUnit XML as Jenkins, GitLab and GitHub's test reporters read it: one testsuite per file, one testcase per call. */
export function junitXml(suiteName: string, results: readonly CallResult[], durationMs: number): string {
  const { total, failed } = summarize(results);
  const errors = results.filter((result) => result.failure).length;
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const testcases = results.map((result) => {
    const failedAssertions = result.assertions.filter((assertion) => !assertion.passed);
    return {
      '@_classname': xmlSafe(`${suiteName}.${variantOf(result.call)}`),
      '@_name': xmlSafe(result.call.caseName),
      '@_time': seconds(result.answer?.latencyMs),
      ...(result.failure
        ? { error: { '@_message': xmlSafe(`${result.failure.title}: ${result.failure.message}`), '@_type': 'invocation', '#text': xmlSafe(result.failure.detail ?? result.failure.message) } }
        : {}),
      ...(failedAssertions.length
        ? { failure: { '@_message': xmlSafe(failedAssertions[0].message), '@_type': 'assertion', '#text': xmlSafe(failedAssertions.map((assertion) => assertion.message).join('\n')) } }
        : {}),
      ...(result.answer ? { 'system-out': xmlSafe(result.answer.text) } : {}),
    };
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, processEntities: true, suppressEmptyNode: true });
  const suite = {
    testsuites: {
      '@_name': 'prompt tests',
      '@_tests': total,
      '@_failures': failed - errors,
      '@_errors': errors,
      '@_time': seconds(durationMs),
      testsuite: {
        '@_name': xmlSafe(suiteName),
        '@_tests': total,
        '@_failures': failed - errors,
        '@_errors': errors,
        '@_time': seconds(durationMs),
        testcase: testcases,
      },
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(suite) as string}`;
}
