// What one training host runs. Its environment: what SageMaker sets in the container
// (TRAINING_JOB_NAME, TRAINING_JOB_ARN) and what the training toolkit gives the script (SM_*, the
// hosts' rendezvous), for every image. Its steps: in script mode (`sagemaker_program`, as the
// SageMaker Python SDK submits a script) the toolkit's — requirements.txt installed with the
// image's pip, then the script with the toolkit's arguments, through a shell as the toolkit runs it,
// a failure reported as the toolkit reports it; otherwise the job's ContainerEntrypoint, or the
// image's own command (the built-in GPT).
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostEssentials } from '../hosts/hostEnvironment';
import type { HostSpec, HostStep, StepSupervision } from '../hosts/hostGroup';
import type { HostExit } from '../hosts/hostProcess';
import type { SandboxSpec } from '../hosts/hostSandbox';
import { containerLaunch, type ContainerLaunch, type ImageCommand } from '../hosts/images';
import { containerLayout, inputDataConfig, resourceConfig, type HostLayout } from './trainingLayout';
import {
  calledProcessError,
  entryPointType,
  logsInfo,
  pythonExecutable,
  pythonValueOf,
  scriptProgram,
  ScriptErrorWatcher,
  shellLaunch,
  splitHyperparameters,
  toolkitLogLines,
  ToolkitEnvironment,
  userScriptCommand,
  type EntryPointType,
} from './trainingToolkit';

/** Where the hosts meet: algo-1:7777 in namespaces; without them, loopback ports of their own. */
export interface Rendezvous {
  masterAddr: string;
  masterPort: number;
  /** Without namespaces all hosts share 127.0.0.1, so each gets a `127.0.0.1:port` of its own. */
  hostAddresses?: string[];
}

/** The job's code (sagemaker_submit_directory), extracted into every host's /opt/ml/code. */
export interface SubmittedCode {
  /** The files at the top of the code folder (setup.py and requirements.txt decide what the toolkit installs). */
  files: string[];
  /** Whether the image's python has pip: `python -m pip --version` succeeded, or why not. */
  pip?: { available: true } | { available: false; reason: string };
}

export interface TrainingHostPlan {
  request: CreateTrainingJobCommandInput;
  image: ImageCommand;
  /** The host's folders on this machine. */
  layout: HostLayout;
  hosts: string[];
  /** The host's namespace (its /opt/ml and /etc/hosts); undefined without one. */
  sandbox: SandboxSpec | undefined;
  rendezvous: Rendezvous;
  code: SubmittedCode | undefined;
  /** Where requirements.txt is installed (`pip install --target`), beside the host's /opt/ml. */
  packagesDir: string;
  jobName: string;
  jobArn: string;
  region: string;
}

/** A Python interpreter, as the toolkit's python_executable() is one. */
const PYTHON = /^python[0-9.]*$/;

export async function trainingHostSpec(plan: TrainingHostPlan): Promise<HostSpec> {
  const { request, image, layout, sandbox, code } = plan;
  const checkpointPath = request.CheckpointConfig?.LocalPath;
  // The folders as the script sees them: /opt/ml/… in its namespace, this machine's folder without one.
  const view = sandbox ? containerLayout(layout.hostName, checkpointPath) : layout;
  const toolkit = new ToolkitEnvironment({
    hyperparameters: splitHyperparameters(request.HyperParameters ?? {}),
    resourceConfig: pythonValueOf(resourceConfig(request, layout.hostName, plan.hosts)),
    inputDataConfig: pythonValueOf(inputDataConfig(request)),
    paths: {
      model: view.modelDir,
      input: view.inputDir,
      inputConfig: view.configDir,
      inputData: view.dataDir,
      output: view.outputDir,
      outputData: view.outputDataDir,
      outputIntermediate: view.outputIntermediateDir,
      code: view.codeDir,
    },
    numCpus: os.cpus().length,
    jobName: plan.jobName,
    region: plan.region,
  });
  const program = scriptProgram(request.HyperParameters);
  const type = program === undefined ? undefined : entryPointType(code?.files ?? [], program);
  const installs = type !== undefined && code?.pip?.available === true && (type === 'PYTHON_PACKAGE' || code.files.includes('requirements.txt'));
  const pythonPath = type === 'PYTHON_PROGRAM' || type === 'PYTHON_PACKAGE' ? [view.codeDir, ...(installs ? [plan.packagesDir] : [])] : [];
  const { hostAddresses } = plan.rendezvous;
  const env: Record<string, string> = {
    TRAINING_JOB_NAME: plan.jobName,
    TRAINING_JOB_ARN: plan.jobArn,
    AWS_REGION: plan.region,
    PYTHONUNBUFFERED: '1',
    ...Object.fromEntries(toolkit.envVars()),
    ...toolkit.processEnv(pythonPath, plan.rendezvous),
    // Scripts written for both places find /opt/ml through it (it is /opt/ml in a namespace).
    SM_EMULATOR_OPT_ML: view.root,
    // Without a namespace, what a script cannot find at SageMaker's literal paths and host names.
    ...(!sandbox && { SM_CHECKPOINT_DIR: view.checkpointDir }),
    ...(hostAddresses && { SM_EMULATOR_HOST_ADDRESSES: JSON.stringify(hostAddresses) }),
  };
  // Where the script runs: the extracted code (/opt/ml/code), else the image's folder.
  const cwd = code ? view.codeDir : image.cwd;
  const launch = (command: string, args: string[]): ContainerLaunch => ({ command, args, cwd, env: { ...image.env }, sandbox });

  let steps: HostStep[];
  if (program !== undefined && type !== undefined && !request.AlgorithmSpecification?.ContainerEntrypoint?.length) {
    steps = await scriptModeSteps(plan, toolkit, program, type, installs, launch, env);
  } else {
    // The image's own program, or the job's ContainerEntrypoint (run from the code, if any was submitted).
    const own = containerLaunch(image, request.AlgorithmSpecification);
    const fromCode = code && request.AlgorithmSpecification?.ContainerEntrypoint?.length;
    steps = [{ launch: { ...own, cwd: fromCode ? view.codeDir : own.cwd, sandbox }, env }];
  }
  // The job's own Environment goes to every step (hostEnvironment.ts layers it under the contract's).
  steps = steps.map((step) => ({ ...step, jobEnvironment: request.Environment }));
  return { hostName: layout.hostName, steps, failureFile: layout.failureFile };
}

/** entry_point.run: install (modules.py), then the script (process.py ProcessRunner), each supervised as the toolkit does. */
async function scriptModeSteps(
  plan: TrainingHostPlan,
  toolkit: ToolkitEnvironment,
  program: string,
  type: EntryPointType,
  installs: boolean,
  launch: (command: string, args: string[]) => ContainerLaunch,
  env: Record<string, string>,
): Promise<HostStep[]> {
  const { image, layout, code } = plan;
  const python = pythonExecutable(image.command, process.env.PATH);
  const logInfo = logsInfo(toolkit.logLevel);
  const info = (message: string) => (logInfo ? toolkitLogLines('INFO', message) : []);
  const steps: HostStep[] = [];
  const notes: string[] = [];
  if (installs) {
    // `pip install --target` beside /opt/ml rather than into the image's Python, which here is this machine's.
    const pip = [...python, '-m', 'pip', 'install', '--target', plan.packagesDir];
    const [command, errorClass, message] =
      type === 'PYTHON_PACKAGE'
        ? [[...pip, '.', ...(code!.files.includes('requirements.txt') ? ['-r', 'requirements.txt'] : [])], 'InstallModuleError' as const, 'Installing module.']
        : [[...pip, '-r', 'requirements.txt'], 'InstallRequirementsError' as const, 'Installing dependencies from requirements.txt'];
    const shell = shellLaunch(command);
    steps.push({
      launch: launch(shell.command, shell.args),
      env,
      supervision: new ToolkitStep({ errorClass, command, startLines: () => info(message), failureFile: layout.failureFile }),
    });
  } else if (code?.files.includes('requirements.txt') && code.pip?.available === false && type !== 'COMMAND') {
    notes.push(...emulatorNote(`requirements.txt was not installed: ${code.pip.reason}`));
  }
  if (type === 'COMMAND') await chmod(path.join(layout.codeDir, program), 0o777).catch(() => undefined); // entry_point.install: os.chmod(…, 511)
  // Programs that are neither Python nor shell (e.g. train.js) run with the image's command, which is no Python here.
  const command =
    type === 'COMMAND' && !program.endsWith('.sh') && !PYTHON.test(path.basename(image.command[0]))
      ? [...python, program, ...toolkit.userArgs]
      : userScriptCommand(type, python, program, toolkit.userArgs);
  const shell = shellLaunch(command);
  steps.push({
    launch: launch(shell.command, shell.args),
    env,
    supervision: new ToolkitStep({
      errorClass: 'ExecuteUserScriptError',
      command,
      startLines: () => [...notes, ...info(toolkit.invocationMessage(command))],
      failureFile: layout.failureFile,
      successFile: path.join(layout.outputDir, 'success'),
      logInfo,
    }),
  });
  return steps;
}

/** A line of the emulator's own in the job's log, formatted as the toolkit's lines around it. */
function emulatorNote(message: string): string[] {
  return toolkitLogLines('WARNING', message).map((line) => line.replace('sagemaker-training-toolkit', 'sagemaker-emulator'));
}

interface ToolkitStepOptions {
  errorClass: 'ExecuteUserScriptError' | 'InstallRequirementsError' | 'InstallModuleError';
  /** The command as the toolkit names it in the error. */
  command: string[];
  startLines: () => string[];
  /** This machine's path of the host's /opt/ml/output/failure. */
  failureFile: string;
  /** /opt/ml/output/success, written when the script succeeds (files.write_success_file). */
  successFile?: string;
  logInfo?: boolean;
}

/** One process the toolkit runs and watches (process.check_error), reporting as trainer.train does. */
class ToolkitStep implements StepSupervision {
  private readonly watcher = new ScriptErrorWatcher();

  constructor(private readonly options: ToolkitStepOptions) {}

  started(): string[] {
    return this.options.startLines();
  }

  observe(line: string, stream: 'stdout' | 'stderr'): void {
    this.watcher.observe(line, stream);
  }

  async succeeded(): Promise<string[]> {
    if (!this.options.successFile) return [];
    await writeFile(this.options.successFile, '');
    return this.options.logInfo ? toolkitLogLines('INFO', 'Reporting training SUCCESS') : [];
  }

  async failed(exit: HostExit): Promise<string[]> {
    // A process killed by a signal has a negative returncode in Python.
    const code = exit.code ?? -(os.constants.signals[exit.signal ?? 'SIGKILL'] ?? 9);
    const message = calledProcessError(this.options.errorClass, code, this.watcher.errorMessage(), this.options.command);
    // files.write_failure_file: only if the script has not written one.
    await writeFile(this.options.failureFile, message, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return [...toolkitLogLines('ERROR', 'Reporting training FAILURE'), ...toolkitLogLines('ERROR', message), ...toolkitLogLines('ERROR', 'Encountered exit_code 1')];
  }
}

/** Whether `python -m pip` runs with the image's interpreter (asked once per job, when the code has requirements.txt; none of the emulator's secrets in its environment). */
export function pipAvailability(image: ImageCommand): Promise<{ available: true } | { available: false; reason: string }> {
  const [command, ...args] = pythonExecutable(image.command, process.env.PATH);
  return new Promise((resolve) =>
    execFile(command, [...args, '-m', 'pip', '--version'], { env: { ...hostEssentials(), ...image.env }, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve(error ? { available: false, reason: `${[command, ...args].join(' ')} has no pip (${stderr.trim().split('\n').pop() || error.message})` } : { available: true }),
    ),
  );
}
