// Where a path of keys and indexes lands in a parsed YAML document, so that a spec file's and a
// prompt-test file's problems go on the line of the member they name. The `yaml` library's node
// tests are passed in: the prompt-test runner loads that library only when it needs it.
import type { isMap, isScalar, isSeq, Node as YamlNode } from 'yaml';

export interface YamlNodeTests {
  isMap: typeof isMap;
  isScalar: typeof isScalar;
  isSeq: typeof isSeq;
}

export interface YamlStep {
  /** The member's value (its key when it has none: `Member:` with nothing after it). */
  node: YamlNode;
  /** The member's key, when the step went through a map. */
  key?: YamlNode;
}

/**
 * The nodes `path` goes through from `root`, as far as the document has them: the last is where the
 * path lands, or its nearest ancestor that exists (then fewer steps than segments).
 */
export function yamlStepsAlong(tests: YamlNodeTests, root: YamlNode | null | undefined, path: readonly (string | number)[]): YamlStep[] {
  const steps: YamlStep[] = [];
  let node = root;
  for (const segment of path) {
    let step: YamlStep | undefined;
    if (tests.isMap(node)) {
      const pair = node.items.find((item) => tests.isScalar(item.key) && String(item.key.value) === String(segment));
      const key = pair?.key as YamlNode | undefined;
      if (pair && key) step = { node: (pair.value as YamlNode | null) ?? key, key };
    } else if (tests.isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (item) step = { node: item };
    }
    if (!step?.node.range) break;
    steps.push(step);
    node = step.node;
  }
  return steps;
}
