// The shape of the code, checked on every `npm test` so that it stays: which parts may import which
// (extension and emulator never import each other, src/pipeline has no vscode, the emulator's runtime
// depends on neither its services nor its containers, its protocols not on its services, benchmarks
// and the harness on no test), no re-exports, no import cycles, every file opening with a comment of
// its purpose, and no folder of code, tests or benchmarks holding more than 25 files.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
/** The folders of code; each file in them is checked. */
const SOURCE_ROOTS = ['src', 'emulator', 'webview', 'bench', 'harness', 'scripts', 'test'];
/** A folder past this holds two things (tests and benchmarks too: the tests mirror the source tree). */
const MAX_FILES_PER_FOLDER = 25;
const FOLDER_LIMIT_ROOTS = SOURCE_ROOTS;
const SKIPPED = /(^|\/)(node_modules|generated|assembly)(\/|$)|\.d\.ts$/;
const CODE = /\.(ts|mts|mjs)$/;

function walk(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name);
    if (SKIPPED.test(path)) return [];
    return entry.isDirectory() ? walk(path) : [path];
  });
}

const files = SOURCE_ROOTS.flatMap((root) => walk(root)).filter((path) => CODE.test(path));
const known = new Set(files);

/** The files a file imports (relative imports resolved; packages by name), type-only imports included. */
function importsOf(file: string): { files: string[]; packages: string[] } {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  const result = { files: [] as string[], packages: [] as string[] };
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) {
      result.packages.push(fileName);
      continue;
    }
    const base = posix.normalize(posix.join(posix.dirname(file), fileName));
    const target = [base, `${base}.ts`, `${base}.mts`, `${base}.mjs`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')].find((path) => known.has(path));
    if (target) result.files.push(target);
  }
  return result;
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Every import from a file matching `from` of a file matching `to`, as `importer → imported`. */
function edges(from: RegExp, to: RegExp): string[] {
  return [...graph].flatMap(([file, imports]) => (from.test(file) ? imports.files.filter((target) => to.test(target)).map((target) => `${file} → ${target}`) : []));
}

/** The import cycles: strongly connected groups of more than one file (or a file importing itself). */
function cycles(): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file)!.files) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)!.files.includes(file)) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the shape of the code', () => {
  it('finds the code it checks (the walk itself works)', () => {
    assert.ok(known.has('emulator/operations.ts') && known.has('src/extension.ts'), 'emulator/operations.ts and src/extension.ts are among the files walked');
    assert.ok(graph.get('emulator/app.ts')!.files.includes('emulator/operations.ts') || edges(/^emulator\/app\.ts$/, /./).length > 0, 'imports are found');
  });

  it('the extension and the emulator never import each other', () => {
    assert.deepEqual([...edges(/^(src|webview)\//, /^emulator\//), ...edges(/^emulator\//, /^(src|webview)\//)], []);
  });

  it('src/pipeline has no vscode import (it runs in the CLI and in tests without VS Code)', () => {
    const offenders = [...graph].filter(([file, imports]) => file.startsWith('src/pipeline/') && imports.packages.includes('vscode')).map(([file]) => file);
    assert.deepEqual(offenders, []);
  });

  it("the emulator's runtime imports neither its services nor its containers (they build on it, not it on them)", () => {
    assert.deepEqual(edges(/^emulator\/runtime\//, /^emulator\/(services|containers)\//), []);
  });

  it("benchmarks import no test module (they share the harness in harness/ with the tests)", () => {
    assert.deepEqual(edges(/^bench\//, /^test\//), []);
  });

  it('the harness imports no test module (tests and benchmarks build on it, not it on them)', () => {
    assert.deepEqual(edges(/^harness\//, /^test\//), []);
  });

  it("the emulator's protocols import none of its services (a service plugs its own checks into a protocol)", () => {
    assert.deepEqual(edges(/^emulator\/protocols\//, /^emulator\/services\//), []);
  });

  it('no file re-exports another module of the project: importers name the module that defines a thing', () => {
    // Allowed: a resource folder's list of its operations, and the chat webview's protocol (it hands
    // the page the pipeline's chat types). src/pipeline/chat/formats.ts is the one left to point at
    // ./types (the chat lane's file, changing under issue 15).
    const allowed = /^(emulator\/services\/sagemaker\/[^/]+\/operations\.ts|webview\/chat\/protocol\.ts|src\/pipeline\/chat\/formats\.ts)$/;
    const reExports = files.filter((file) => !allowed.test(file) && /^export (type )?(\*|\{[^}]*\}) from '\.{1,2}\//m.test(readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(reExports, []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(cycles(), []);
  });

  it('every file opens with a comment of its purpose', () => {
    const missing = files.filter((file) => !/^(#![^\n]*\n)?\s*(\/\/|\/\*)/.test(readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(missing, []);
  });

  it(`no folder of code, tests or benchmarks holds more than ${MAX_FILES_PER_FOLDER} files`, () => {
    const folders = new Set(FOLDER_LIMIT_ROOTS.flatMap((root) => walk(root)).map((path) => posix.dirname(path)));
    const crowded = [...folders]
      .map((folder) => ({ folder, files: readdirSync(join(ROOT, folder)).filter((name) => statSync(join(ROOT, folder, name)).isFile()).length }))
      .filter(({ files: count }) => count > MAX_FILES_PER_FOLDER)
      .map(({ folder, files: count }) => `${folder}: ${count}`);
    assert.deepEqual(crowded, []);
  });
});
