// How a host is launched (its namespace's bubblewrap arguments, the loopback addresses of a job's
// hosts) and what the training toolkit makes of a script: its arguments, its command, the error a
// failed one becomes — the pure parts, pinned here; the emulator tests run them for real.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { containerPath, LoopbackBlocks, sandboxedCommand } from '../../../../../emulator/runtime/hosts/hostSandbox';
import { pyDict, pyInt, pyStr } from '../../../../../emulator/runtime/jobs/pythonValues';
import { calledProcessError, entryPointType, ScriptErrorWatcher, splitHyperparameters, toCmdArgs, userScriptCommand } from '../../../../../emulator/runtime/jobs/trainingToolkit';

describe('host sandbox', () => {
  it("binds the host's folder as /opt/ml over a tmpfs /opt that keeps the machine's own entries", () => {
    const { command, args } = sandboxedCommand(
      { launcher: '/usr/bin/bwrap', optMl: '/data/jobs/j/algo-2/opt/ml', hostsFile: '/data/jobs/j/hosts', binds: [{ source: '/data/jobs/j/channels/train', target: '/opt/ml/input/data/train' }], cwd: '/opt/ml/code' },
      '/bin/sh',
      ['-c', 'python3 train.py'],
    );
    assert.equal(command, '/usr/bin/bwrap');
    assert.deepEqual(args.slice(0, 5), ['--dev-bind', '/', '/', '--tmpfs', '/opt']);
    const machineEntries = readdirSync('/opt').filter((name) => name !== 'ml');
    for (const entry of machineEntries) assert.ok(args.join(' ').includes(`/opt/${entry} /opt/${entry}`), `/opt/${entry} bound back`);
    const tail = args.slice(args.indexOf('/data/jobs/j/algo-2/opt/ml') - 1);
    assert.deepEqual(tail, [
      '--bind', '/data/jobs/j/algo-2/opt/ml', '/opt/ml',
      '--bind', '/data/jobs/j/channels/train', '/opt/ml/input/data/train',
      '--ro-bind', '/data/jobs/j/hosts', '/etc/hosts',
      '--chdir', '/opt/ml/code',
      '--', '/bin/sh', '-c', 'python3 train.py',
    ]);
    assert.ok(!args.includes('--die-with-parent') && !args.includes('--new-session'), 'the host stays in the process group its runtime signals');
  });

  it('names folders under the host folder as /opt/ml paths, and leaves others as they are', () => {
    assert.equal(containerPath('/d/ep/v', '/d/ep/v/model'), '/opt/ml/model');
    assert.equal(containerPath('/d/ep/v', '/d/ep/v'), '/opt/ml');
    assert.equal(containerPath('/d/ep/v', '/d/ep/vx/model'), '/d/ep/vx/model');
    assert.equal(containerPath('/d/ep/v', '/srv/code'), '/srv/code');
  });

  it('gives a job the same loopback block again, another running job another, never 127.0.x.x', () => {
    const blocks = new LoopbackBlocks();
    const first = blocks.reserve('jobs\narn:job-a', 3);
    assert.equal(new Set(first.addresses).size, 3);
    for (const address of first.addresses) assert.match(address, /^127\.(?!0\.)\d+\.\d+\.[1-3]$/);
    // The same job while it runs (a collision of hashes): another block.
    const clash = blocks.reserve('jobs\narn:job-a', 3);
    assert.notEqual(clash.addresses[0].split('.').slice(0, 3).join('.'), first.addresses[0].split('.').slice(0, 3).join('.'));
    clash.release();
    first.release();
    assert.deepEqual(blocks.reserve('jobs\narn:job-a', 3).addresses, first.addresses, 'stable across restarts of the job');
    const large = new LoopbackBlocks().reserve('jobs\narn:big', 251);
    assert.equal(new Set(large.addresses).size, 251);
    assert.match(large.addresses[250], /\.1$/, 'host 251 starts the next block');
  });
});

describe('training toolkit', () => {
  it('splits off sagemaker_* and renders arguments as mapping.to_cmd_args: sorted, -x for one letter, a dict as k=v', () => {
    const { user, sagemaker } = splitHyperparameters({ sagemaker_program: '"train.py"', _tuning_objective_metric: 'loss', b: '2', epochs: '3', opts: '{"z": 1, "a": "x y"}' });
    assert.deepEqual([...sagemaker.keys()], ['sagemaker_program', '_tuning_objective_metric']);
    assert.deepEqual(toCmdArgs(user), ['-b', '2', '--epochs', '3', '--opts', 'a=x y,z=1']);
    assert.deepEqual(toCmdArgs(new Map([['none', pyDict([])], ['n', pyInt(1)], ['s', pyStr('')]])), ['-n', '1', '--none', '', '-s', '']);
  });

  it('runs .py as a program, a folder with setup.py as a module, .sh (and anything else) as ./command', () => {
    assert.equal(entryPointType(['train.py'], 'train.py'), 'PYTHON_PROGRAM');
    assert.equal(entryPointType(['setup.py', 'train.py'], 'train.py'), 'PYTHON_PACKAGE');
    assert.equal(entryPointType(['setup.py', 'run.sh'], 'run.sh'), 'COMMAND');
    assert.deepEqual(userScriptCommand('PYTHON_PACKAGE', ['/usr/bin/python3'], 'train.py', ['--a', '1']), ['/usr/bin/python3', '-m', 'train', '--a', '1']);
    assert.deepEqual(userScriptCommand('COMMAND', ['/usr/bin/python3'], 'run.sh', ['--msg', "it's here"]), ['/bin/sh', '-c', `"./run.sh --msg 'it'"'"'s here'"`]);
  });

  it('captures from the first line naming a Python error, both streams, and formats ExecuteUserScriptError as errors.py does', () => {
    const watcher = new ScriptErrorWatcher();
    for (const line of ['epoch=1', 'Traceback (most recent call last):', '  File "train.py", line 3, in <module>', '    raise KeyError(\'lr\')', "KeyError: 'lr'"]) {
      watcher.observe(line, 'stderr');
    }
    watcher.observe('loading ValueError-free data', 'stdout');
    watcher.observe('done', 'stdout');
    assert.equal(watcher.errorMessage(), "loading ValueError-free data\n done\n raise KeyError('lr')\n KeyError: 'lr'");
    assert.equal(
      calledProcessError('ExecuteUserScriptError', 1, "KeyError: 'lr'", ['/usr/bin/python3', 'train.py']),
      'ExecuteUserScriptError:\nExitCode 1\nErrorMessage "KeyError: \'lr\'"\nCommand "/usr/bin/python3 train.py"',
    );
    assert.equal(
      calledProcessError('ExecuteUserScriptError', 137, '', ['python3', 'train.py']),
      'ExecuteUserScriptError:\nExitCode 137\nErrorMessage ""\nExtraInfo "OutOfMemory: Process killed by SIGKILL (signal 9)"\nCommand "python3 train.py"',
    );
  });
});
