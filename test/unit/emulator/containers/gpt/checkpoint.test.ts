// Unit tests of safetensors.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadLatestCheckpoint, saveCheckpoint, writeFileAtomically } from '../../../../../emulator/containers/gpt/checkpoint';
import { initializeParameters, ParameterLayout } from '../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { decodeSafetensors, encodeSafetensors, SafetensorsReader, type NamedTensor } from '../../../../../emulator/containers/gpt/safetensors';
import { until } from '../../../../../harness/waiting';

function temporaryDirectory(): string {
  return mkdtempSync(path.join(tmpdir(), 'gpt-checkpoint-'));
}

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

const layout = new ParameterLayout({ vocabSize: 19, layers: 2, heads: 2, width: 8, context: 6 });

function randomParameters(seed: number): Float32Array {
  const parameters = new Float32Array(layout.size);
  initializeParameters(layout, parameters, Random.fromSeed(seed));
  parameters.forEach((value, i) => (parameters[i] = value + i * 1e-3)); // no two tensors alike
  return parameters;
}

describe('safetensors', () => {
  it('round-trips named F32 tensors and string metadata', () => {
    const tensors: NamedTensor[] = [
      { name: 'b', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
      { name: 'a', shape: [1], data: Float32Array.of(-0.5) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ];
    const file = concat(encodeSafetensors(tensors, { format: 'pt', note: 'ü' }));
    assert.equal(Number(file.readBigUInt64LE()) % 8, 0, 'data section aligned to 8 bytes');
    // Copy into an unaligned position to exercise the copying path as well as the zero-copy one.
    const unaligned = new Uint8Array(file.length + 1).subarray(1);
    unaligned.set(file);
    for (const bytes of [file, unaligned]) {
      const { tensors: read, metadata } = decodeSafetensors(bytes);
      assert.deepEqual(metadata, { format: 'pt', note: 'ü' });
      assert.deepEqual([...read.keys()], ['b', 'a', 'empty']);
      assert.deepEqual(read.get('b'), tensors[0]);
      assert.deepEqual(read.get('a')?.data, Float32Array.of(-0.5));
    }
  });

  it('rejects every truncation and a file with bytes no tensor covers', () => {
    const file = concat(encodeSafetensors([{ name: 'x', shape: [3], data: Float32Array.of(1, 2, 3) }]));
    for (let length = 0; length < file.length; length++) {
      assert.throws(() => decodeSafetensors(file.subarray(0, length)), Error, `truncated to ${length} bytes`);
    }
    assert.throws(() => decodeSafetensors(Buffer.concat([file, Buffer.alloc(4)])), /truncated or padded/);
  });

  it('decodes the same as it streams in, in pieces of any size, into one array', () => {
    const tensors: NamedTensor[] = [
      { name: 'b', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
      { name: 'a', shape: [1], data: Float32Array.of(-0.5) },
    ];
    const file = concat(encodeSafetensors(tensors, { format: 'pt' }));
    for (const piece of [1, 3, 8, 13, file.length]) {
      const reader = new SafetensorsReader(file.length);
      for (let at = 0; at < file.length; at += piece) {
        reader.write(file.subarray(at, at + piece));
      }
      const { tensors: read, metadata } = reader.result();
      assert.deepEqual(metadata, { format: 'pt' });
      assert.deepEqual(read, decodeSafetensors(file).tensors, `pieces of ${piece}`);
      assert.equal(read.get('b')!.data.buffer, read.get('a')!.data.buffer, 'one array for all tensors');
    }
    for (let length = 0; length < file.length; length++) {
      const reader = new SafetensorsReader(file.length);
      assert.throws(() => {
        reader.write(file.subarray(0, length));
        reader.end();
      }, Error, `truncated to ${length} bytes`);
    }
    assert.throws(() => new SafetensorsReader(file.length - 4).write(file), /more than the \d+ bytes announced/);
  });

  it('is read correctly by an independent reader (python3 + numpy)', () => {
    const directory = temporaryDirectory();
    const parameters = randomParameters(5);
    const file = path.join(directory, 'model.safetensors');
    writeFileSync(file, concat(encodeSafetensors(layout.namedTensors(parameters), { format: 'pt' })));
    const reader = [
      'import json, struct, sys, numpy',
      'data = open(sys.argv[1], "rb").read()',
      '(n,) = struct.unpack("<Q", data[:8])',
      'header = json.loads(data[8:8 + n])',
      'meta = header.pop("__metadata__")',
      'out = {"metadata": meta, "tensors": {}}',
      'for name, entry in header.items():',
      '    begin, end = entry["data_offsets"]',
      '    assert entry["dtype"] == "F32"',
      '    array = numpy.frombuffer(data[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])',
      '    out["tensors"][name] = {"shape": list(array.shape), "values": [float(v) for v in array.ravel()]}',
      'print(json.dumps(out))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', reader, file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `python3 with numpy failed: ${result.stderr}`);
    const read = JSON.parse(result.stdout) as { metadata: Record<string, string>; tensors: Record<string, { shape: number[]; values: number[] }> };
    assert.deepEqual(read.metadata, { format: 'pt' });
    assert.deepEqual(Object.keys(read.tensors).sort(), layout.tensors.map(({ name }) => name).sort());
    for (const { name, shape, offset, size } of layout.tensors) {
      assert.deepEqual(read.tensors[name].shape, shape, name);
      assert.deepEqual(Float32Array.from(read.tensors[name].values), parameters.subarray(offset, offset + size), name);
    }
  });
});

describe('checkpoints', () => {
  const state = (step: number): { step: number; note: string } => ({ step, note: `state of ${step}` });
  const tensorsOf = (step: number): NamedTensor[] => [...layout.namedTensors(randomParameters(step)), ...layout.namedTensors(randomParameters(step + 100), 'optimizer.first_moment.')];

  it('resumes from the newest and keeps only the last K', async () => {
    const directory = temporaryDirectory();
    for (const step of [10, 20, 30, 40]) {
      await saveCheckpoint(directory, step, tensorsOf(step), state(step), 2);
    }
    assert.deepEqual(readdirSync(directory).sort(), ['checkpoint-00000030.safetensors', 'checkpoint-00000040.safetensors']);
    const latest = await loadLatestCheckpoint<{ step: number; note: string }>(directory);
    assert.equal(latest?.step, 40);
    assert.deepEqual(latest?.state, state(40));
    const parameters = new Float32Array(layout.size);
    layout.readNamedTensors(latest!.tensors, parameters);
    assert.deepEqual(parameters, randomParameters(40));
    layout.readNamedTensors(latest!.tensors, parameters, 'optimizer.first_moment.');
    assert.deepEqual(parameters, randomParameters(140));
  });

  it('skips a truncated or corrupted newest checkpoint and an interrupted temporary file', async () => {
    const directory = temporaryDirectory();
    await saveCheckpoint(directory, 1, tensorsOf(1), state(1), 5);
    await saveCheckpoint(directory, 2, tensorsOf(2), state(2), 5);
    await saveCheckpoint(directory, 3, tensorsOf(3), state(3), 5);
    const newest = path.join(directory, 'checkpoint-00000003.safetensors');
    const corrupted = await fs.readFile(newest);
    corrupted[corrupted.length - 5] ^= 0x40;
    await fs.writeFile(newest, corrupted);
    const second = path.join(directory, 'checkpoint-00000002.safetensors');
    const bytes = await fs.readFile(second);
    await fs.writeFile(second, bytes.subarray(0, bytes.length - 100));
    await fs.writeFile(path.join(directory, 'checkpoint-00000004.safetensors.partial'), bytes.subarray(0, 50));
    const skipped: string[] = [];
    const latest = await loadLatestCheckpoint(directory, (file, reason) => skipped.push(`${path.basename(file)}: ${reason}`));
    assert.equal(latest?.step, 1);
    assert.equal(skipped.length, 2);
    assert.match(skipped[0], /00000003.*checksum/);
    assert.match(skipped[1], /00000002/);
  });

  it('answers no checkpoint for a missing or empty directory', async () => {
    assert.equal(await loadLatestCheckpoint(path.join(temporaryDirectory(), 'missing')), undefined);
    assert.equal(await loadLatestCheckpoint(temporaryDirectory()), undefined);
  });

  it('leaves the previous checkpoint usable when the writer is killed mid-write', async () => {
    const directory = temporaryDirectory();
    // A writer that saves ~8 MB checkpoints of known content as fast as it can, until killed.
    const writer = `
      const { saveCheckpoint } = require(${JSON.stringify(require.resolve('../../../../../emulator/containers/gpt/checkpoint'))});
      (async () => {
        for (let step = 1; ; step++) {
          const data = new Float32Array(2_000_000).fill(step);
          await saveCheckpoint(${JSON.stringify(directory)}, step, [{ name: 'w', shape: [data.length], data }], { step }, 2);
          if (step === 2) console.log('ready');
        }
      })();`;
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // Killed while a checkpoint is being written: its temporary file is there.
    await until('the writer to be part way through a checkpoint (a .partial file)', () =>
      readdirSync(directory).some((file) => file.endsWith('.partial')) ? true : undefined, { intervalMs: 1 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const latest = await loadLatestCheckpoint<{ step: number }>(directory);
    assert.ok(latest && latest.step >= 2);
    assert.equal(latest.state.step, latest.step);
    assert.ok(latest.tensors.get('w')!.data.every((value) => value === latest.step));
  });

  it('writes a file atomically: the old content stays until the new one is complete', async () => {
    const file = path.join(temporaryDirectory(), 'config.json');
    await writeFileAtomically(file, [Buffer.from('old')]);
    await writeFileAtomically(file, [Buffer.from('n'), Buffer.from('ew')]);
    assert.equal(await fs.readFile(file, 'utf8'), 'new');
    assert.deepEqual(readdirSync(path.dirname(file)), ['config.json']);
  });
});
