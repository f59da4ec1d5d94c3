// The extension's parts, created once at activation and passed to whoever needs them (no globals).
import type { TrainingJobDetailsProvider } from './documents/trainingJobDetails';
import type { TrainingJobLogs } from './documents/trainingJobLogs';
import type { LocalEmulator } from './localEmulator';
import type { ChatPanels } from './panels/chatPanel';
import type { TrainingJobPanels } from './panels/trainingJobPanel';
import type { Services } from './services';
import type { DatasetsTree } from './trees/datasetsTree';
import type { EndpointsTree } from './trees/endpointsTree';
import type { ModelsTree } from './trees/modelsTree';
import type { TransformJobsTree } from './trees/transformJobsTree';
import type { PromptTestFiles } from './documents/promptTestFiles';
import type { PromptTests } from './testing/promptTests';
import type { TrainingJobsTree } from './trees/trainingJobsTree';
import type * as vscode from 'vscode';
import type { S3ObjectDocuments } from './documents/s3ObjectDocuments';
import type { CompareTrainingJobsPanels } from './panels/compareTrainingJobsPanel';
import type { SpecDiagnostics } from './specs/specDiagnostics';
import type { CheckpointsTree } from './trees/checkpointsTree';

export type { Services };

export interface Workbench extends Services {
  readonly emulator: LocalEmulator;
  readonly datasets: DatasetsTree;
  readonly trainingJobs: TrainingJobsTree;
  readonly trainingJobDetails: TrainingJobDetailsProvider;
  readonly trainingJobLogs: TrainingJobLogs;
  readonly trainingJobPanels: TrainingJobPanels;
  readonly endpoints: EndpointsTree;
  readonly chatPanels: ChatPanels;
  readonly models: ModelsTree;
  readonly transformJobs: TransformJobsTree;
  readonly checkpoints: CheckpointsTree;
  readonly s3Objects: S3ObjectDocuments;
  readonly specDiagnostics: SpecDiagnostics;
  readonly compareTrainingJobPanels: CompareTrainingJobsPanels;
  /** The Training Jobs view, whose selection the Checkpoints view follows and where launched jobs are revealed. */
  readonly trainingJobsView: vscode.TreeView<vscode.TreeItem>;
  readonly promptTestFiles: PromptTestFiles;
  readonly promptTests: PromptTests;
}
