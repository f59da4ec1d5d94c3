// A job spec file parsed with where each value is in the text, so a problem found in the value (by
// the rules, or by AWS after a launch) lands on its line. JSON through jsonc-parser (VS Code's own
// JSON scanner: comments allowed, errors with offsets), YAML through `yaml` (a complete YAML 1.2
// parser that keeps every node's source range). Pure: offsets here, positions in the extension.
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { Document, Node as YamlNode } from 'yaml';
import { jsoncLibrary, yamlLibrary } from '../libraries';
import { yamlStepsAlong } from '../yamlPaths';

export type SpecFormat = 'json' | 'yaml';

/** A location in a spec's value: member names and (0-based) list indexes, from the root. */
export type SpecPath = readonly (string | number)[];

/** Offsets into the text, end exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export interface SpecSyntaxError {
  message: string;
  range: TextRange;
}

export interface ParsedSpec {
  format: SpecFormat;
  /** The parsed content (undefined when the text is not even partly readable). */
  value: unknown;
  syntaxErrors: SpecSyntaxError[];
  /**
   * Where `path` is: its value and, for a member, its key. The nearest existing ancestor when the
   * path does not exist (a missing member is reported on the object that lacks it).
   */
  locate(path: SpecPath): { value: TextRange; key?: TextRange; exact: boolean };
}

export function formatOf(fileName: string): SpecFormat {
  return /\.ya?ml$/i.test(fileName) ? 'yaml' : 'json';
}

export function parseSpec(text: string, format: SpecFormat): ParsedSpec {
  return format === 'json' ? parseJsonSpec(text) : parseYamlSpec(text);
}

const WHOLE = (text: string): TextRange => ({ start: 0, end: Math.max(text.length, 0) });

function parseJsonSpec(text: string): ParsedSpec {
  const { findNodeAtLocation, parseTree, printParseErrorCode } = jsoncLibrary();
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  return {
    format: 'json',
    value: root ? jsonValue(root) : undefined,
    syntaxErrors: errors.map((error) => ({
      message: `JSON: ${printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`,
      range: { start: error.offset, end: error.offset + Math.max(error.length, 1) },
    })),
    locate(path) {
      if (!root) return { value: WHOLE(text), exact: false };
      for (let length = path.length; length >= 0; length--) {
        const node = findNodeAtLocation(root, [...path.slice(0, length)]);
        if (!node) continue;
        const value = { start: node.offset, end: node.offset + node.length };
        const property = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
        const key = property ? { start: property.offset, end: property.offset + property.length } : undefined;
        return { value, key, exact: length === path.length };
      }
      return { value: WHOLE(text), exact: false };
    },
  };
}

/** The JavaScript value of a jsonc-parser node (`getNodeValue` without its recursion limits). */
function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.children ?? []).flatMap((property) => {
          const [key, value] = property.children ?? [];
          return key && value ? [[String(key.value), jsonValue(value)]] : [];
        }),
      );
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

function parseYamlSpec(text: string): ParsedSpec {
  const yaml = yamlLibrary();
  const document: Document = yaml.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const syntaxErrors = document.errors.map((error) => ({
    message: `YAML: ${error.message.split('\n')[0]}`,
    range: { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) },
  }));
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  return {
    format: 'yaml',
    value,
    syntaxErrors,
    locate(path) {
      const steps = yamlStepsAlong(yaml, document.contents, path);
      const last = steps.at(-1);
      const found = last ? { value: rangeOf(last.node)!, key: rangeOf(last.key) } : { value: rangeOf(document.contents) ?? WHOLE(text) };
      return { ...found, exact: steps.length === path.length };
    },
  };
}

function rangeOf(node: YamlNode | null | undefined): TextRange | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: Math.max(range[1], range[0]) } : undefined;
}
