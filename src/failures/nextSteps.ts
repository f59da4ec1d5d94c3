// The next steps a failure can offer, by id, with the label every surface shows for them (tree error
// node, notification button, panel banner button, log footer lens). Pure: the webviews import it too.

export const NEXT_STEP_LABELS = {
  startEmulator: 'Start Local Emulator',
  restartEmulator: 'Restart Local Emulator',
  switchConnection: 'Switch Connection',
  openSettings: 'Open Settings',
  retry: 'Retry',
  showEmulatorLog: 'Show Emulator Log',
  showDatasets: 'Show Datasets',
  showTrainingJobs: 'Show Training Jobs',
  showEndpoints: 'Show Endpoints',
  showModels: 'Show Models',
  showCheckpoints: 'Show Checkpoints',
} as const;

export type NextStep = keyof typeof NEXT_STEP_LABELS;

export function isNextStep(value: unknown): value is NextStep {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(NEXT_STEP_LABELS, value);
}
