// The .vsix holds only what runs: the bundles, the manifest, the icon, the docs and the spec files'
// JSON Schemas (jsonValidation/yamlValidation point at them), the libraries features load on first
// use — no sources,
// no node_modules, no tests.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { VSIX_PATH } from '../../harness/paths';

it('the .vsix contains only the files that run', () => {
  const files = execFileSync('unzip', ['-Z1', VSIX_PATH], { encoding: 'utf8' }).trim().split('\n').sort();
  const unexpected = files.filter(
    (file) =>
      !/^extension\/dist\/(extension|emulator|workbench)(\.\d+)?\.js(\.LICENSE\.txt)?$/.test(file) &&
      // Bundled libraries' licence notices ship beside the bundles that contain them.
      !/^extension\/dist\/webview\/[\w.-]+\.(js|css)(\.LICENSE\.txt)?$/.test(file) &&
      !/^extension\/dist\/containers\/[\w-]+\/[\w.-]+\.js(\.LICENSE\.txt)?$/.test(file) &&
      // The libraries only some features load, on first use (src/pipeline/libraries.ts).
      !/^extension\/dist\/lib\/[\w-]+\.js(\.LICENSE\.txt)?$/.test(file) &&
      !/^extension\/dist\/schemas\/[\w-]+\.schema\.json$/.test(file) &&
      !/^extension\/media\/[\w-]+\.(svg|css)$/.test(file) &&
      !['extension.vsixmanifest', '[Content_Types].xml', 'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt'].includes(file),
  );
  assert.deepEqual(unexpected, []);
  for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/emulator.js', 'extension/dist/containers/gpt/trainCli.js', 'extension/dist/schemas/training-job.schema.json', 'extension/dist/schemas/processing-job.schema.json', 'extension/dist/workbench.js', 'extension/dist/schemas/prompt-tests.schema.json', 'extension/dist/lib/yaml.js', 'extension/dist/lib/js-yaml.js', 'extension/dist/lib/jsonc-parser.js', 'extension/dist/lib/ajv.js', 'extension/dist/lib/markdown-it.js']) {
    assert.ok(files.includes(required), `${required} is packaged`);
  }
});
