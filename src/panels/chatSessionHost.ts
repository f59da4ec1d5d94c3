// What a chat session needs from the panel that hosts it (the clients, failure context, settings,
// the format memory): its own file so that the session and Compare both depend on it, not on each other.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { FailureContext } from '../failures/classify';
import type { NextStep } from '../failures/nextSteps';
import type { StoredConversation } from '../pipeline/chat/conversations';
import type { FormatMemory } from '../pipeline/chat/formatMemory';
import type { ParameterPreset } from '../pipeline/chat/types';

export interface ChatSessionHost {
  runtime(): Promise<SageMakerRuntimeClient>;
  /** Where calls go and how a local emulator is brought back, for the failure messages. */
  failureContext(): FailureContext;
  /** What a call found (nothing: it was answered), so that every view knows when the connection is down. */
  report(error?: unknown): void;
  /** Steps outside the chat: start the emulator, switch the connection, show the Endpoints view. */
  run(step: Exclude<NextStep, 'retry'>): void;
  /** Characters of conversation a request may carry (the context budget). */
  contextCharacters(): number;
  /** The named parameter presets (settings). */
  presets(): ParameterPreset[];
  /** Keeps the conversation (after each answer, edit or clear). */
  save(conversation: StoredConversation): void;
  /** Each endpoint's payload format, remembered in the workspace. */
  formats: FormatMemory;
  /** The region's InService endpoints, for Compare's pick list. */
  endpoints(): Promise<string[]>;
}
