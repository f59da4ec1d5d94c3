// Unit tests of loading a model straight from model.tar.gz.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { loadModelFromTarGz, saveModel } from '../../../../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout } from '../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { BytePairTokenizer } from '../../../../../emulator/containers/gpt/tokenizer';

const directory = mkdtempSync(path.join(tmpdir(), 'gpt-archive-'));
const modelDirectory = path.join(directory, 'model');
const tokenizer = BytePairTokenizer.train([Buffer.from('a model in an archive, an archive of a model.\n'.repeat(40))], 290);
const layout = new ParameterLayout({ vocabSize: tokenizer.vocabSize, layers: 2, heads: 2, width: 16, context: 8 });
const parameters = new Float32Array(layout.size);
initializeParameters(layout, parameters, Random.fromSeed(2));
const saved = saveModel(modelDirectory, { config: layout.config, tokenizer, parameters });
const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'];

function bitsOf(array: Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** The archive in pieces of awkward sizes, so that headers and tensors straddle chunks. */
async function* pieces(bytes: Buffer): AsyncGenerator<Buffer> {
  const sizes = [1, 7, 511, 512, 513, 4096, 100_000];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function nodeTar(gzipLevel: number, files = MODEL_FILES): Promise<Buffer> {
  const file = path.join(directory, `node-${gzipLevel}.tar.gz`);
  await tar.create({ gzip: { level: gzipLevel }, file, cwd: modelDirectory, portable: true }, files.map((name) => `./${name}`));
  return readFileSync(file);
}

/** An archive written by Python's tarfile in `format`, the model files under `prefix`, and extra files. */
function pythonTar(format: 'PAX' | 'GNU' | 'USTAR', prefix: string, extras: Record<string, string> = {}): Buffer {
  const file = path.join(directory, `python-${format}.tar.gz`);
  const script = `
import io, json, sys, tarfile
source, target, fmt, prefix, extras = sys.argv[1:]
with tarfile.open(target, 'w:gz', format=getattr(tarfile, fmt + '_FORMAT'), pax_headers={'comment': 'global'} if fmt == 'PAX' else None) as archive:
    for name in ['model.safetensors', 'config.json', 'tokenizer.json']:
        archive.add(source + '/' + name, arcname=prefix + name)
    for name, text in json.loads(extras).items():
        data = text.encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
`;
  const result = spawnSync('python3', ['-c', script, modelDirectory, file, format, prefix, JSON.stringify(extras)], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(file);
}

describe('loading a model straight from model.tar.gz', () => {
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('gives bitwise the saved weights from node-tar, GNU tar and Python archives, at any gzip level', async () => {
    await saved;
    const gnuTar = path.join(directory, 'gnu.tar.gz');
    const result = spawnSync('tar', ['-czf', gnuTar, '-C', modelDirectory, ...MODEL_FILES], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const archives: Record<string, Buffer> = {
      'node-tar, stored (as the runtime writes)': await nodeTar(0),
      'node-tar, gzip -9': await nodeTar(9),
      'GNU tar': readFileSync(gnuTar),
      'Python, pax': pythonTar('PAX', ''),
    };
    for (const [name, archive] of Object.entries(archives)) {
      const model = await loadModelFromTarGz(pieces(archive));
      assert.ok(bitsOf(model.parameters).equals(bitsOf(parameters)), name);
      assert.deepEqual(model.config, layout.config, name);
      assert.deepEqual(model.tokenizer.toJSON(), tokenizer.toJSON(), name);
    }
  });

  it('takes the files at the top level, whatever names long paths need, and skips the rest', async () => {
    await saved;
    // Model files named "./././…/model.safetensors" (past the 100 characters of a tar name: a ustar
    // prefix, a pax path record or a GNU long-name entry) are still at the top level; a config.json in
    // a folder is not.
    const longPrefix = './'.repeat(60);
    // After the model's files, so that a folder taken for the top level would replace its config.json.
    const extras = { 'code/inference.py': 'print("hi")\n', [`other/${longPrefix}config.json`]: '{"model_type":"bert"}' };
    for (const format of ['USTAR', 'PAX', 'GNU'] as const) {
      const model = await loadModelFromTarGz(pieces(pythonTar(format, longPrefix, extras)));
      assert.ok(bitsOf(model.parameters).equals(bitsOf(parameters)), format);
    }
  });

  it('fails clearly on a truncated or foreign archive, a missing file and cut weights', async () => {
    await saved;
    const archive = await nodeTar(6);
    await assert.rejects(loadModelFromTarGz(pieces(archive.subarray(0, archive.length >> 1))), /unexpected end of file/);
    await assert.rejects(loadModelFromTarGz(pieces(Buffer.from('not a gzip file at all'))), /incorrect header check/);
    await assert.rejects(loadModelFromTarGz(pieces(gzipSync(Buffer.alloc(1024, 7)))), /not a tar archive/);
    await assert.rejects(loadModelFromTarGz(pieces(await nodeTar(6, ['config.json', 'model.safetensors']))), /no tokenizer\.json at its top level/);

    // A tar cut inside the weights, then gzipped whole: the gzip is fine, the tar is not.
    const tarBytes = Buffer.from(await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      tar.create({ cwd: modelDirectory, portable: true }, MODEL_FILES)
        .on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    }));
    await assert.rejects(loadModelFromTarGz(pieces(gzipSync(tarBytes.subarray(0, tarBytes.length - 4096)))), /truncated/);

    // Weights cut short inside a well-formed archive.
    const cut = path.join(directory, 'cut');
    mkdirSync(cut, { recursive: true });
    for (const name of MODEL_FILES) {
      const bytes = readFileSync(path.join(modelDirectory, name));
      writeFileSync(path.join(cut, name), name === 'model.safetensors' ? bytes.subarray(0, bytes.length - 8) : bytes);
    }
    const cutArchive = path.join(directory, 'cut.tar.gz');
    await tar.create({ gzip: true, file: cutArchive, cwd: cut, portable: true }, MODEL_FILES);
    await assert.rejects(loadModelFromTarGz(pieces(readFileSync(cutArchive))), /do not fit the file|truncated or padded/);
    rmSync(cut, { recursive: true, force: true });
  });
});
