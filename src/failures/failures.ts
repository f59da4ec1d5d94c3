// Failures as the user meets them: classified once (classify.ts) with what the extension knows
// (the connection's settings, whether a local emulator of ours ran), then shown on any surface with
// the same words and the same buttons — a notification for commands and progress, a tree error node
// for views, a banner in panels, a footer and lens in log editors. One failure shown once: the same
// notification is not stacked while it is open, and polled reads never notify.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { classifyFailure, failureText, type Failure, type FailureContext } from './classify';
import { NEXT_STEP_LABELS, type NextStep } from './nextSteps';
import type { ResourceRef } from './resources';

export interface FailureOptions {
  /** What was being done: "stop training job foo". */
  doing?: string;
  resource?: ResourceRef;
  /** How to try again, for the Retry step. */
  retry?: () => unknown;
}

/** VS Code's own command that reveals each view, for the "Show …" steps. */
const VIEW_OF_STEP: Partial<Record<NextStep, string>> = {
  showDatasets: 'sagemaker.datasets',
  showTrainingJobs: 'sagemaker.trainingJobs',
  showEndpoints: 'sagemaker.endpoints',
  showModels: 'sagemaker.models',
  showCheckpoints: 'sagemaker.checkpoints',
};

/** The command each step runs (Retry has none of its own: the surface supplies it). */
const COMMAND_OF_STEP: Partial<Record<NextStep, string>> = {
  startEmulator: 'sagemaker.startEmulator',
  restartEmulator: 'sagemaker.restartEmulator',
  switchConnection: 'sagemaker.switchConnection',
  showEmulatorLog: 'sagemaker.showEmulatorLog',
};

export class Failures implements vscode.Disposable {
  /** Notifications on screen, by text: the same one is not shown twice at once. */
  private readonly open = new Set<string>();

  constructor(
    private readonly connection: Connection,
    /** Restart when a local emulator of ours ran at the URL, Start otherwise. */
    private readonly emulatorStep: () => FailureContext['emulatorStep'] = () => 'startEmulator',
  ) {}

  /** What the classifier is told besides the error: where calls go, how the emulator comes back. */
  context(): FailureContext {
    return { settings: this.connection.validSettings, emulatorStep: this.emulatorStep() };
  }

  classify(error: unknown, options: Omit<FailureOptions, 'retry'> = {}): Failure {
    return classifyFailure(error, { ...this.context(), resource: options.resource, doing: options.doing });
  }

  /** Why the connection is down, classified, while it is (views and panels show it instead of data). */
  connectionFailure(doing?: string): Failure | undefined {
    const error = this.connection.failure;
    return error === undefined ? undefined : this.classify(error, { doing });
  }

  /**
   * Shows a failed command's or progress's error once, with its next steps as buttons, and records
   * what it says about the connection. Returns the step the user chose.
   */
  async notify(error: unknown, options: FailureOptions = {}): Promise<NextStep | undefined> {
    this.connection.report(error);
    const failure = this.classify(error, options);
    const steps = failure.steps.filter((step) => step !== 'retry' || options.retry);
    if (options.retry && !steps.includes('retry') && (failure.kind === 'throttled' || failure.kind === 'serviceError' || failure.kind === 'unreachable')) {
      steps.push('retry');
    }
    const text = failureText(failure);
    if (this.open.has(text)) return undefined;
    this.open.add(text);
    try {
      const labels = steps.map((step) => NEXT_STEP_LABELS[step]);
      const chosen = await vscode.window.showErrorMessage(text, ...labels);
      const step = steps.find((candidate) => NEXT_STEP_LABELS[candidate] === chosen);
      if (step) await this.run(step, failure, options.retry);
      return step;
    } finally {
      this.open.delete(text);
    }
  }

  /** Carries out a next step. */
  async run(step: NextStep, failure: Pick<Failure, 'setting'>, retry?: () => unknown): Promise<void> {
    if (step === 'retry') {
      await retry?.();
      return;
    }
    if (step === 'openSettings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', failure.setting ?? 'sagemaker.');
      return;
    }
    const view = VIEW_OF_STEP[step];
    if (view) {
      await vscode.commands.executeCommand(`${view}.focus`);
      return;
    }
    await vscode.commands.executeCommand(COMMAND_OF_STEP[step]!);
  }

  /** The step as a command for a tree item; `retry` is the view's own (its refresh). */
  command(step: NextStep | undefined, failure: Pick<Failure, 'setting'>, retry?: vscode.Command): vscode.Command | undefined {
    if (!step) return undefined;
    if (step === 'retry') return retry;
    if (step === 'openSettings') {
      return { command: 'workbench.action.openSettings', title: NEXT_STEP_LABELS[step], arguments: [failure.setting ?? 'sagemaker.'] };
    }
    const view = VIEW_OF_STEP[step];
    return { command: view ? `${view}.focus` : COMMAND_OF_STEP[step]!, title: NEXT_STEP_LABELS[step] };
  }

  dispose(): void {
    this.open.clear();
  }
}
