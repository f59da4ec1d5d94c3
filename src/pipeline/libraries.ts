// The third-party libraries only some features use — YAML (spec and prompt-test files), JSON with
// comments (JSON specs), JSON Schema (answer schemas of prompt tests), markdown (chat titles) — loaded
// on their feature's first use, not with the extension or the CLI: they are as large as the rest of
// the extension together. The bundles keep each in its own file, `dist/lib/<name>.js`
// (webpack.config.js: the `libraries` build), read by a synchronous require the first time it is
// asked for, so parsing and checking stay synchronous; run from tsc's output (the tests), they come
// from node_modules. One place for it, so that no other import of these libraries pulls them back in.
import * as path from 'node:path';

// Defined inside a webpack bundle only (where `typeof __webpack_require__` is "function" at build
// time, so the other branch is dropped); `__non_webpack_require__` is then Node's own require.
declare const __webpack_require__: unknown;
declare const __non_webpack_require__: NodeJS.Require;

const loaded = new Map<string, unknown>();

function load<Library>(name: string, fromNodeModules: () => unknown): Library {
  if (!loaded.has(name)) {
    loaded.set(name, typeof __webpack_require__ === 'function' ? __non_webpack_require__(path.join(__dirname, 'lib', `${name}.js`)) : fromNodeModules());
  }
  return loaded.get(name) as Library;
}

/** `yaml`: YAML 1.2 documents with every node's source range (spec files, prompt-test files' places). */
export const yamlLibrary = (): typeof import('yaml') => load('yaml', () => require('yaml'));

/** `js-yaml`: the prompt-test files' values, read fast (see promptFile.ts). */
export const jsYamlLibrary = (): typeof import('js-yaml') => load('js-yaml', () => require('js-yaml'));

/** `jsonc-parser`: JSON spec files with offsets (VS Code's own JSON scanner). */
export const jsoncLibrary = (): typeof import('jsonc-parser') => load('jsonc-parser', () => require('jsonc-parser'));

/** `ajv`: compiles the JSON Schemas of prompt tests' `json: {schema}` assertions. */
export const ajvLibrary = (): typeof import('ajv') => load('ajv', () => require('ajv'));

/** `markdown-it`: a conversation's first prompt as plain text, for its title. */
export const markdownItLibrary = (): typeof import('markdown-it') => load('markdown-it', () => require('markdown-it'));

