// The SageMaker training toolkit (aws/sagemaker-training-toolkit) as a framework container runs it
// around a user's script, done by the emulator: hyperparameters JSON-decoded and `sagemaker_*` ones
// consumed (environment.py, mapping.py), the SM_* environment (Environment.to_env_vars), the
// script's command and arguments (process.py ProcessRunner, mapping.to_cmd_args), requirements.txt
// (modules.py), the ExecuteUserScriptError a failed script becomes (process.py check_error/watch,
// errors.py) and the lines the toolkit logs (logging_config.py, trainer.py). MASTER_ADDR,
// MASTER_PORT and the NCCL variables are those sagemaker-pytorch-training-toolkit (training.py) sets.
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import {
  decodeHyperparameter,
  pyBool,
  pyDict,
  pyInt,
  pyList,
  pyNone,
  pyStr,
  pythonJsonDumps,
  pythonStr,
  type PythonValue,
  compareCodePoints,
} from './pythonValues';

/** params.py SAGEMAKER_HYPERPARAMETERS: consumed by the toolkit itself. */
const SAGEMAKER_HYPERPARAMETERS = new Set([
  'sagemaker_program',
  'sagemaker_submit_directory',
  'sagemaker_enable_cloudwatch_metrics',
  'sagemaker_region',
  'sagemaker_container_log_level',
  'sagemaker_job_name',
  'default_user_module_name',
  '_tuning_objective_metric',
  'sagemaker_s3_output',
]);
const SAGEMAKER_PREFIX = 'sagemaker_';
/** The flags that put the current instance group into distribution (environment.py). */
const DISTRIBUTION_FLAGS = [
  'sagemaker_mpi_enabled',
  'sagemaker_parameter_server_enabled',
  'sagemaker_distributed_dataparallel_enabled',
  'sagemaker_pytorch_ddp_enabled',
  'sagemaker_pytorch_xla_multi_worker_enabled',
  'sagemaker_multi_worker_mirrored_strategy_enabled',
  'sagemaker_torch_distributed_enabled',
];
const DEFAULT_INSTANCE_GROUP = 'homogeneousCluster';
const LOG_INFO = 20;
/** sagemaker-pytorch-training-toolkit training.py: MASTER_PORT = '7777'. */
export const MASTER_PORT = 7777;
const LOGGER_NAME = 'sagemaker-training-toolkit';

/** A job's hyperparameters as the toolkit splits them (mapping.split_by_criteria), each JSON-decoded. */
export interface ToolkitHyperparameters {
  /** The user's: SM_HPS, SM_HP_*, the script's arguments. */
  user: Map<string, PythonValue>;
  /** `sagemaker_*` and the toolkit's own keys: consumed, never passed to the script. */
  sagemaker: Map<string, PythonValue>;
}

export function splitHyperparameters(raw: Readonly<Record<string, string>>): ToolkitHyperparameters {
  const user = new Map<string, PythonValue>();
  const sagemaker = new Map<string, PythonValue>();
  for (const [name, text] of Object.entries(raw)) {
    const consumed = SAGEMAKER_HYPERPARAMETERS.has(name) || name.startsWith(SAGEMAKER_PREFIX);
    (consumed ? sagemaker : user).set(name, decodeHyperparameter(text));
  }
  return { user, sagemaker };
}

/** The script program (`sagemaker_program`) a job runs in script mode, decoded; undefined otherwise. */
export function scriptProgram(raw: Readonly<Record<string, string>> | undefined): string | undefined {
  const program = raw?.sagemaker_program;
  return program === undefined ? undefined : pythonStr(decodeHyperparameter(program));
}

/** The code to download (`sagemaker_submit_directory`), decoded: an s3:// tarball, or a path in the container. */
export function submitDirectory(raw: Readonly<Record<string, string>> | undefined): string | undefined {
  const directory = raw?.sagemaker_submit_directory;
  return directory === undefined ? undefined : pythonStr(decodeHyperparameter(directory));
}

/** mapping.to_cmd_args: sorted names, `--name` (`-n` for one letter), values as str(); a dict as k=v,k2=v2. */
export function toCmdArgs(hyperparameters: ReadonlyMap<string, PythonValue>): string[] {
  const names = [...hyperparameters.keys()].sort(compareCodePoints);
  return names.flatMap((name) => {
    const value = hyperparameters.get(name)!;
    const argument = name === '' ? '' : name.length > 1 ? `--${name}` : `-${name}`;
    return [argument, decoded(value)];
  });
}

/** mapping._decode: None is '', a dict is `k=v,…` sorted by key (its values as str()), anything else str(). */
function decoded(value: PythonValue): string {
  if (value.kind === 'none') return '';
  if (value.kind === 'dict') {
    return [...value.entries]
      .sort(([a], [b]) => compareCodePoints(a, b))
      .map(([key, item]) => `${key}=${pythonStr(item)}`)
      .join(',');
  }
  return pythonStr(value);
}

/** Where the container's folders are, as the script sees them (/opt/ml/…, or this machine's folder without a namespace). */
export interface ContainerPaths {
  model: string;
  input: string;
  inputConfig: string;
  inputData: string;
  output: string;
  outputData: string;
  outputIntermediate: string;
  code: string;
}

export interface ToolkitContext {
  hyperparameters: ToolkitHyperparameters;
  /** resourceconfig.json and inputdataconfig.json, as written for this host. */
  resourceConfig: PythonValue;
  inputDataConfig: PythonValue;
  paths: ContainerPaths;
  numCpus: number;
  /** TRAINING_JOB_NAME, which SageMaker sets in the container. */
  jobName: string;
  /** The region the job runs in (boto3's, when sagemaker_region is not given). */
  region: string;
}

/** The toolkit's Environment for one host: its properties, SM_* variables and script arguments. */
export class ToolkitEnvironment {
  /** `dict(Environment())`: what SM_TRAINING_ENV holds and the invocation log prints. */
  readonly properties: Map<string, PythonValue>;
  readonly userArgs: string[];

  constructor(private readonly context: ToolkitContext) {
    const { hyperparameters, resourceConfig, inputDataConfig, paths } = context;
    const sagemaker = hyperparameters.sagemaker;
    const frameworkParameters = new Map([...sagemaker].filter(([name]) => !SAGEMAKER_HYPERPARAMETERS.has(name)));
    const resource = entriesOf(resourceConfig);
    const hosts = resource.get('hosts') ?? pyList([]);
    const currentHost = resource.get('current_host') ?? pyNone;
    const currentGroup = resource.get('current_group_name') ?? pyStr(DEFAULT_INSTANCE_GROUP);
    const groups = itemsOf(resource.get('instance_groups'));
    const groupName = (group: PythonValue) => entriesOf(group).get('instance_group_name') ?? pyNone;
    const distributionGroups =
      frameworkParameters.get('sagemaker_distribution_instance_groups') ??
      pyList(DISTRIBUTION_FLAGS.some((flag) => truthy(frameworkParameters.get(flag))) ? [currentGroup] : []);
    const distributionHosts =
      groups.length > 0
        ? pyList(groups.filter((group) => itemsOf(distributionGroups).some((name) => same(name, groupName(group)))).flatMap((group) => itemsOf(entriesOf(group).get('hosts'))))
        : hosts;
    const masterHostname = itemsOf(distributionHosts)[0] ?? itemsOf(hosts)[0] ?? pyNone;
    const program = sagemaker.get('sagemaker_program');
    const moduleName = pythonStr(program ?? pyNone);
    this.userArgs = toCmdArgs(hyperparameters.user);
    this.properties = sortedDict([
      ['additional_framework_parameters', pyDict(frameworkParameters)],
      ['channel_input_dirs', pyDict([...entriesOf(inputDataConfig).keys()].map((channel) => [channel, pyStr(path.posix.join(paths.inputData, channel))]))],
      ['current_host', currentHost],
      ['current_instance_group', currentGroup],
      ['current_instance_group_hosts', pyList(groups.filter((group) => same(groupName(group), currentGroup)).flatMap((group) => itemsOf(entriesOf(group).get('hosts'))))],
      ['current_instance_type', resource.get('current_instance_type') ?? pyStr('local')],
      ['distribution_hosts', distributionHosts],
      ['distribution_instance_groups', distributionGroups],
      ['framework_module', pyNone],
      ['hosts', hosts],
      ['hyperparameters', pyDict(hyperparameters.user)],
      ['input_config_dir', pyStr(paths.inputConfig)],
      ['input_data_config', inputDataConfig],
      ['input_dir', pyStr(paths.input)],
      ['instance_groups', pyList(groups.map(groupName))],
      ['instance_groups_dict', pyDict(groups.map((group) => [pythonStr(groupName(group)), group]))],
      ['is_hetero', pyBool(groups.length > 1)],
      ['is_master', pyBool(same(currentHost, masterHostname))],
      ['is_modelparallel_enabled', pyNone],
      ['is_smddpmprun_installed', pyBool(false)],
      ['is_smddprun_installed', pyBool(false)],
      ['job_name', pyStr(context.jobName)],
      ['log_level', sagemaker.get('sagemaker_container_log_level') ?? pyInt(LOG_INFO)],
      ['master_hostname', masterHostname],
      ['model_dir', pyStr(paths.model)],
      ['module_dir', pyStr(pythonStr(sagemaker.get('sagemaker_submit_directory') ?? pyStr(paths.code)))],
      ['module_name', pyStr(moduleName.endsWith('.py') ? moduleName.slice(0, -3) : moduleName)],
      ['network_interface_name', resource.get('network_interface_name') ?? pyStr('eth0')],
      ['num_cpus', pyInt(context.numCpus)],
      ['num_gpus', pyInt(0)],
      ['num_neurons', pyInt(0)],
      ['output_data_dir', pyStr(paths.outputData)],
      ['output_dir', pyStr(paths.output)],
      ['output_intermediate_dir', pyStr(paths.outputIntermediate)],
      ['resource_config', resourceConfig],
      ['topology', resource.get('topology') ?? pyList([])],
      ['user_entry_point', program ?? pyNone],
    ]);
  }

  get logLevel(): PythonValue {
    return this.properties.get('log_level')!;
  }

  get masterHostname(): string {
    return pythonStr(this.properties.get('master_hostname')!);
  }

  /** Environment.to_env_vars, in its order: the SM_* variables the script gets. */
  envVars(): Array<[string, string]> {
    const property = (name: string) => this.properties.get(name)!;
    const channels = [...entriesOf(property('channel_input_dirs'))];
    const env: Array<[string, PythonValue]> = [
      ['hosts', property('hosts')],
      ['network_interface_name', property('network_interface_name')],
      ['hps', property('hyperparameters')],
      ['user_entry_point', property('user_entry_point')],
      ['framework_params', property('additional_framework_parameters')],
      ['resource_config', property('resource_config')],
      ['input_data_config', property('input_data_config')],
      ['output_data_dir', property('output_data_dir')],
      ['channels', pyList(channels.map(([name]) => pyStr(name)).sort((a, b) => compareCodePoints(pythonStr(a), pythonStr(b))))],
      ['current_host', property('current_host')],
      ['current_instance_type', property('current_instance_type')],
      ['current_instance_group', property('current_instance_group')],
      ['current_instance_group_hosts', property('current_instance_group_hosts')],
      ['instance_groups', property('instance_groups')],
      ['instance_groups_dict', property('instance_groups_dict')],
      ['distribution_instance_groups', property('distribution_instance_groups')],
      ['is_hetero', property('is_hetero')],
      ['module_name', property('module_name')],
      ['log_level', property('log_level')],
      ['framework_module', property('framework_module')],
      ['input_dir', property('input_dir')],
      ['input_config_dir', property('input_config_dir')],
      ['output_dir', property('output_dir')],
      ['num_cpus', property('num_cpus')],
      ['num_gpus', property('num_gpus')],
      ['num_neurons', property('num_neurons')],
      ['model_dir', property('model_dir')],
      ['module_dir', property('module_dir')],
      ['training_env', pyDict(this.properties)],
      ['user_args', pyList(this.userArgs.map(pyStr))],
      ['output_intermediate_dir', property('output_intermediate_dir')],
    ];
    if (truthy(property('topology'))) env.push(['topology', property('topology')]);
    for (const [name, dir] of channels) env.push([`channel_${name}`, dir]);
    for (const [name, value] of this.context.hyperparameters.user) env.push([`hp_${name}`, value]);
    // A dict: a later key with the same upper-case name replaces the earlier one in place.
    const variables = new Map<string, string>();
    for (const [key, value] of env) variables.set(key ? `SM_${key.toUpperCase()}` : '', envValue(value));
    return [...variables];
  }

  /**
   * What the toolkit and the PyTorch container put in os.environ beside SM_*, which the script
   * inherits: CURRENT_HOST, SAGEMAKER_JOB_NAME and SAGEMAKER_REGION (environment.py), PYTHONPATH
   * (write_env_vars: the code folder first), MASTER_ADDR/MASTER_PORT and NCCL's interface.
   */
  processEnv(pythonPath: string[], rendezvous: { masterAddr: string; masterPort: number }): Record<string, string> {
    const sagemaker = this.context.hyperparameters.sagemaker;
    return {
      CURRENT_HOST: pythonStr(this.properties.get('current_host')!),
      SAGEMAKER_JOB_NAME: pythonStr(sagemaker.get('sagemaker_job_name') ?? pyStr('')),
      SAGEMAKER_REGION: pythonStr(sagemaker.get('sagemaker_region') ?? pyStr(this.context.region)),
      ...(pythonPath.length > 0 && { PYTHONPATH: pythonPath.join(':') }),
      MASTER_ADDR: rendezvous.masterAddr,
      MASTER_PORT: String(rendezvous.masterPort),
      NCCL_SOCKET_IFNAME: pythonStr(this.properties.get('network_interface_name')!),
      NCCL_IB_DISABLE: '1',
      NCCL_DEBUG: 'WARN',
    };
  }

  /** logging_config.log_script_invocation: the message logged before the script starts. */
  invocationMessage(command: string[]): string {
    const variables = this.envVars()
      .map(([name, value]) => `${name}=${value}`)
      .join('\n');
    return `Invoking user script\n\nTraining Env:\n\n${pythonJsonDumps(pyDict(this.properties), { indent: 4 })}\n\nEnvironment variables:\n\n${variables}\n\nInvoking script with the following command:\n\n${command.join(' ')}\n\n`;
  }
}

/** mapping.to_env_vars' values: a str as it is, None empty, anything else compact sorted JSON. */
function envValue(value: PythonValue): string {
  if (value.kind === 'str') return value.value;
  if (value.kind === 'none') return '';
  return pythonJsonDumps(value, { sortKeys: true });
}

/** _entry_point_type.get: `.sh` a command, a folder with setup.py a package, `.py` a program, anything else a command. */
export type EntryPointType = 'PYTHON_PACKAGE' | 'PYTHON_PROGRAM' | 'COMMAND';

export function entryPointType(codeFiles: readonly string[], program: string): EntryPointType {
  if (program.endsWith('.sh')) return 'COMMAND';
  if (codeFiles.includes('setup.py')) return 'PYTHON_PACKAGE';
  if (program.endsWith('.py')) return 'PYTHON_PROGRAM';
  return 'COMMAND';
}

/**
 * ProcessRunner._create_command: the python executable (the image's command, its program found on
 * PATH as sys.executable names it) with the script or `-m module`, or `/bin/sh -c "./program …"`.
 */
export function userScriptCommand(type: EntryPointType, python: readonly string[], program: string, args: readonly string[]): string[] {
  if (type === 'PYTHON_PACKAGE') return [...python, '-m', program.split('.py').join(''), ...args];
  if (type === 'PYTHON_PROGRAM') return [...python, program, ...args];
  return ['/bin/sh', '-c', `"./${program} ${args.map(shellQuote).join(' ')}"`];
}

/** The toolkit runs what it captures through a shell (process.run_async: create_subprocess_shell(" ".join(cmd))). */
export function shellLaunch(command: readonly string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', command.join(' ')] };
}

/** The image's interpreter as sys.executable would name it: found on PATH when it is a bare name. */
export function pythonExecutable(imageCommand: readonly string[], searchPath: string | undefined): string[] {
  const [program, ...args] = imageCommand;
  if (program.includes('/')) return [program, ...args];
  for (const dir of (searchPath ?? '').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return [candidate, ...args];
    } catch {
      // not here
    }
  }
  return [program, ...args];
}

/** Python's shlex.quote. */
function shellQuote(text: string): string {
  if (text === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

/** sagemaker_training/__init__.py _PYTHON_ERRORS_ and _MPI_ERRORS_, plus the default error class process.py watches for. */
const ERROR_NAMES = [
  'BaseException', 'Exception', 'ArithmeticError', 'AssertionError', 'AttributeError', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError', 'ConnectionResetError',
  'EOFError', 'EnvironmentError', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError', 'IOError', 'ImportError',
  'IndentationError', 'IndexError', 'InterruptedError', 'IsADirectoryError', 'KeyError', 'LookupError', 'MemoryError',
  'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplementedError', 'OSError', 'OverflowError', 'PermissionError',
  'ProcessLookupError', 'RecursionError', 'ReferenceError', 'RuntimeError', 'SyntaxError', 'SystemError', 'TabError',
  'TimeoutError', 'TypeError', 'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError',
  'UnicodeTranslateError', 'ValueError', 'ZeroDivisionError', 'Invalid requirement', 'ResourceExhaustedError', 'OutOfRangeError',
  'InvalidArgumentError', 'mpirun.real', 'ORTE', 'ExecuteUserScriptError',
];
const SM_TRAINING_COMPILER_PATHS = ['tensorflow/compiler/xla', 'tensorflow/compiler/tf2xla', 'tensorflow/python/compiler/xla', 'torch_xla/'];

/**
 * process.watch over one process's stdout and stderr: from the first line naming a Python error
 * (or an MPI one), every line after it, stripped of spaces and colons at its ends.
 */
export class ScriptErrorWatcher {
  private readonly streams = { stdout: new WatchedStream(), stderr: new WatchedStream() };

  observe(line: string, stream: 'stdout' | 'stderr'): void {
    this.streams[stream].observe(line);
  }

  /** check_error's `stderr`: both streams' captures joined, repeated lines dropped. */
  errorMessage(): string {
    const joined = `${this.streams.stdout.output.join(' ')} ${this.streams.stderr.output.join(' ')}`;
    return pythonStrip([...new Set(joined.split('\n'))].join('\n'));
  }
}

class WatchedStream {
  readonly output: string[] = [];
  private started = false;

  observe(line: string): void {
    // mpirun's [1,0]<stderr> tags are dropped before comparing, as the toolkit does.
    const errorLine = line.replace(/\[(\d),(\d)\]<stderr>/g, '').replace(/\[(\d),(\d)\]<stdout>/g, '');
    if (!this.started && !ERROR_NAMES.some((name) => errorLine.includes(name))) return;
    this.started = true;
    // The toolkit's `if err_line not in output` compares the line with entries that end in "\n":
    // it never matches, so every line is kept here; check_error drops the repeats.
    this.output.push(`${stripCharacters(errorLine, ' :\n')}\n`);
  }
}

/**
 * errors._CalledProcessError.__str__ for a process that exited non-zero: the class, exit code,
 * captured message, extra info (137 is an OOM kill) and command, stripped.
 */
export function calledProcessError(errorClass: 'ExecuteUserScriptError' | 'InstallRequirementsError' | 'InstallModuleError', exitCode: number, errorMessage: string, command: readonly string[]): string {
  let extraInfo: string | undefined = exitCode === 137 ? 'OutOfMemory: Process killed by SIGKILL (signal 9)' : undefined;
  if (errorMessage && SM_TRAINING_COMPILER_PATHS.some((compilerPath) => errorMessage.includes(compilerPath))) {
    extraInfo = 'SMTrainingCompiler Error: Error occurred in SMTrainingCompiler.';
  }
  const message =
    extraInfo === undefined
      ? `${errorClass}:\nExitCode ${exitCode}\nErrorMessage "${errorMessage}"\nCommand "${command.join(' ')}"`
      : `${errorClass}:\nExitCode ${exitCode}\nErrorMessage "${errorMessage}"\nExtraInfo "${extraInfo}"\nCommand "${command.join(' ')}"`;
  return pythonStrip(message);
}

/** Lines as the toolkit's logger writes them: `%(asctime)s %(name)-12s %(levelname)-8s %(message)s`. */
export function toolkitLogLines(level: 'INFO' | 'WARNING' | 'ERROR', message: string, now = new Date()): string[] {
  const lines = `${pythonAsctime(now)} ${LOGGER_NAME.padEnd(12)} ${level.padEnd(8)} ${message}`.split('\n');
  // CloudWatch Logs keeps no empty events: the container's log driver drops blank lines.
  return lines.filter((line) => line !== '');
}

/** Whether the toolkit logs at INFO with this log level (sagemaker_container_log_level). */
export function logsInfo(logLevel: PythonValue): boolean {
  if (logLevel.kind === 'int') return logLevel.value <= BigInt(LOG_INFO);
  if (logLevel.kind === 'float') return logLevel.value <= LOG_INFO;
  return true;
}

/** logging's default asctime: local time, `2024-05-01 12:00:00,123`. */
function pythonAsctime(now: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())},${String(now.getMilliseconds()).padStart(3, '0')}`;
}

/** Python's str.strip() with no argument: whitespace at both ends. */
function pythonStrip(text: string): string {
  return text.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu, '');
}

/** Python's str.strip(chars). */
function stripCharacters(text: string, characters: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && characters.includes(text[start])) start++;
  while (end > start && characters.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

function entriesOf(value: PythonValue | undefined): Map<string, PythonValue> {
  return value?.kind === 'dict' ? value.entries : new Map();
}

function itemsOf(value: PythonValue | undefined): PythonValue[] {
  return value?.kind === 'list' ? value.items : [];
}

function same(a: PythonValue, b: PythonValue): boolean {
  return pythonJsonDumps(a) === pythonJsonDumps(b);
}

/** Python truthiness. */
function truthy(value: PythonValue | undefined): boolean {
  if (value === undefined) return false;
  switch (value.kind) {
    case 'str':
      return value.value !== '';
    case 'int':
      return value.value !== 0n;
    case 'float':
      return value.value !== 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
  }
}

function sortedDict(entries: Array<[string, PythonValue]>): Map<string, PythonValue> {
  return new Map(entries.sort(([a], [b]) => compareCodePoints(a, b)));
}

/** A JSON value from a config file we wrote, as Python's json.load reads it. */
export function pythonValueOf(value: unknown): PythonValue {
  if (value === null || value === undefined) return pyNone;
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return pyBool(value);
  if (typeof value === 'number') return Number.isInteger(value) ? pyInt(value) : { kind: 'float', value };
  if (Array.isArray(value)) return pyList(value.map(pythonValueOf));
  return pyDict(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, pythonValueOf(item)]));
}
