// Reading the published AWS API models (botocore JSON in ../shared/aws-models, else this machine's
// botocore) and the Java → JavaScript regex translation their patterns need: shared by the spec
// files' JSON Schemas (scripts/generateSpecSchemas.mjs) and the emulator's models (emulator/models/generate.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the models are: $AWS_MODELS_DIR, else `shared/aws-models` beside the checkout — beside the
 * main checkout too when this is a git worktree elsewhere (its common .git directory tells where) —
 * else this machine's botocore (python3-boto3, which `.ci/setup` installs), as the emulator's model
 * generator does: a clean clone on its own builds too.
 */
export function modelsRoot() {
  const candidates = [process.env.AWS_MODELS_DIR, join(REPO_ROOT, '..', 'shared', 'aws-models')];
  try {
    const commonGitDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(join(dirname(commonGitDir), '..', 'shared', 'aws-models'));
  } catch {
    // not a git checkout (e.g. an unpacked source archive): the other candidates stand
  }
  const found = candidates.filter(Boolean).map((candidate) => resolve(candidate)).find((candidate) => existsSync(candidate));
  if (found) return found;
  try {
    return botocoreDataDir();
  } catch {
    throw new Error(`The AWS API models (botocore JSON) are not at ${candidates.filter(Boolean).join(' or ')}, and python3's botocore is missing: set AWS_MODELS_DIR to the folder that holds sagemaker/, s3/, …`);
  }
}

/** botocore's data folder on this machine (the AWS CLI's and boto3's models). */
let botocoreData;
export function botocoreDataDir() {
  botocoreData ??= join(execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), 'data');
  return botocoreData;
}

/** The model in a `<service>/<api version>` folder: service-2.json, or its gzipped copy. */
export function readModelFile(dir) {
  const gz = join(dir, 'service-2.json.gz');
  return JSON.parse(existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(join(dir, 'service-2.json'), 'utf8'));
}

export function loadModel(service, apiVersion) {
  return readModelFile(join(modelsRoot(), service, apiVersion));
}

// Java regex → JavaScript (`u` flag). Handles what the AWS models use: POSIX classes, \A \z anchors,
// identity escapes JS rejects in unicode mode, and a literal `-` after a class escape inside [...].
const POSIX_CLASSES = {
  Alnum: 'a-zA-Z0-9', Alpha: 'a-zA-Z', Digit: '0-9', Upper: 'A-Z', Lower: 'a-z', XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r', Print: '\\x20-\\x7E', Graph: '\\x21-\\x7E', Cntrl: '\\x00-\\x1F\\x7F',
  Punct: '!-\\/:-@\\[-`{-~', ASCII: '\\x00-\\x7F',
};
const JS_SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/'.split(''));

export function javaToJavaScriptRegex(pattern) {
  let out = '';
  let inClass = false;
  let previousWasClassEscape = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === 'p' || next === 'P') {
        const end = pattern.indexOf('}', i);
        const name = pattern.slice(i + 3, end);
        const posix = POSIX_CLASSES[name];
        if (posix && next === 'p') out += inClass ? posix : `[${posix}]`;
        else if (posix && !inClass) out += `[^${posix}]`;
        else if (posix) throw new Error('a negated POSIX class inside [...] has no JavaScript form');
        else out += pattern.slice(i, end + 1);
        i = end;
        previousWasClassEscape = true;
        continue;
      }
      i++;
      if (next === 'A') out += '^';
      else if (next === 'z' || next === 'Z') out += '$';
      else if (/[A-Za-z0-9]/.test(next) || JS_SYNTAX_CHARACTERS.has(next)) out += `\\${next}`;
      else if (next === '-') out += inClass ? '\\-' : '-';
      else out += `\\u{${next.codePointAt(0).toString(16)}}`;
      previousWasClassEscape = inClass && /[wWdDsS]/.test(next);
      continue;
    }
    if (inClass && char === '-' && previousWasClassEscape) out += '\\-';
    else out += char;
    if (char === '[' && !inClass) inClass = true;
    else if (char === ']' && inClass) inClass = false;
    previousWasClassEscape = false;
  }
  return `^(?:${out})$`;
}

/** The pattern as a JavaScript (`u`) regex source, or undefined (added to `skipped`) if it has no JavaScript form. */
export function compilePattern(pattern, skipped) {
  try {
    const source = javaToJavaScriptRegex(pattern);
    new RegExp(source, 'u');
    return source;
  } catch {
    skipped.add(pattern);
    return undefined;
  }
}
