// Hyperparameter values decoded and written back as the training toolkit (Python) does, checked
// against Python itself: for each input, `str(json.loads(v))`, the toolkit's compact sorted
// `json.dumps`, and `json.dumps(indent=4)`, or the string kept when json.loads raises.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { decodeHyperparameter, pythonJsonDumps, pythonJsonLoads, pythonStr } from '../../../../../emulator/runtime/jobs/pythonValues';

/** Values as the SageMaker Python SDK's json.dumps sends them, and as users type them. */
const INPUTS = [
  '"gloo"', 'gloo', '3', '-0', '1.0', '-0.0', '0.001', '1e-05', '1E-5', '1e16', '1e15', '123456789.25', '1e400', '-1e400', '0.1', '2.5e-07',
  '12345678901234567890', 'true', 'false', 'null', 'NaN', 'Infinity', '-Infinity', '[1, 2.0, "a"]', '[]', '{}', ' 7 ', '07', '1.', '.5',
  '{"b": 1, "a": {"d": [true, null], "c": "x"}}', '{"a": 1, "a": 2, "b": 3}', '"caf\\u00e9 \\ud83d\\ude00"', '"it\'s"', '"say \\"hi\\" it\'s"',
  '"tab\\tnew\\nline\\u0001\\u007f\\u00a0"', '["\\u200b", "\\u00e9"]', '"\\/"', '', ' ', '"unterminated', '[1,]', '{"a" 1}', 'tru', '1 2', '"\\x"',
  '{"nested": {"list": [{"k": 1.5}]}}', '"a\u0001b"', '"日本"', '"\\ud800"',
];

function pythonResults(inputs: string[]): Array<{ str: string; compact: string; indented: string }> {
  const script = `
import json, sys
out = []
for text in json.loads(sys.stdin.read()):
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        value = text
    out.append({"str": "" if value is None else str(value),
                "compact": json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True),
                "indented": json.dumps(value, indent=4)})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(inputs) }).toString()) as Array<{ str: string; compact: string; indented: string }>;
}

describe('hyperparameter values as Python sees them', () => {
  it('decode and print exactly as json.loads, str() and json.dumps do', () => {
    const expected = pythonResults(INPUTS);
    INPUTS.forEach((input, index) => {
      const value = decodeHyperparameter(input);
      const ours = {
        str: value.kind === 'none' ? '' : pythonStr(value),
        compact: pythonJsonDumps(value, { sortKeys: true }),
        indented: pythonJsonDumps(value, { indent: 4 }),
      };
      assert.deepEqual(ours, expected[index], `input ${JSON.stringify(input)}`);
    });
  });

  it('tells a value that does not parse from one that does', () => {
    assert.equal(pythonJsonLoads('gloo'), undefined);
    assert.deepEqual(pythonJsonLoads('"gloo"'), { kind: 'str', value: 'gloo' });
    assert.deepEqual(pythonJsonLoads('12345678901234567890'), { kind: 'int', value: 12345678901234567890n });
  });
});
