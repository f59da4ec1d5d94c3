// Why an answer failed, in words the chat shows inline, with what the user can do next: the one
// classifier's words for failures that are not the model's, the chat's own for the model server's
// (a ModelError and its status, a stream broken off). Pure, unit-tested.
import { redact } from '../../aws/errors';
import { classifyFailure, type FailureContext } from '../../failures/classify';
import { modelErrorMessage } from './payloads';
import { FORMAT_LABELS } from './formats';
import type { ChatAction, ChatFailure, PayloadFormat } from './types';

interface ServiceError {
  name?: string;
  message?: string;
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  LogStreamArn?: string;
  ErrorCode?: string;
}

export function describeChatFailure(
  error: unknown,
  context: { endpoint: string; format: PayloadFormat; failure: FailureContext },
): ChatFailure {
  const failure = classifyFailure(error, { ...context.failure, resource: { kind: 'endpoint', name: context.endpoint } });
  const service = (error ?? {}) as ServiceError;
  /** What the service said, as it said it (redacted): the model's own errors need no code in front. */
  const said = redact(service.message ?? String(error));
  const otherFormat: ChatAction = context.format === 'messages' ? 'useTgi' : 'useMessages';
  /** The classifier's steps, then Retry: an answer can always be asked for again. */
  const withRetry = (steps: ChatAction[]): ChatAction[] => [...steps.filter((step) => step !== 'retry'), 'retry'];
  // Failures that are not the endpoint's: said as every other surface says them.
  if (failure.kind === 'unreachable' || failure.kind === 'credentials' || failure.kind === 'accessDenied' || failure.kind === 'throttled') {
    return { title: failure.title, message: failure.message, actions: withRetry(failure.steps) };
  }
  if (failure.kind === 'settings') {
    return { title: failure.title, message: failure.message, actions: ['openSettings', 'switchConnection'] };
  }
  switch (service.name) {
    case 'ModelError': {
      const status = service.OriginalStatusCode;
      // A 4xx from the model server is most often a payload in a format it does not speak.
      const refused = status !== undefined && status >= 400 && status < 500;
      const message = modelErrorMessage(service.OriginalMessage) ?? said;
      // A JumpStart model with a licence refuses until accept_eula=true comes in CustomAttributes.
      if (/accept_eula/i.test(message)) {
        return {
          title: 'The model needs its licence (EULA) accepted',
          message,
          detail: 'Accepting sends accept_eula=true in CustomAttributes with every request to this endpoint (remembered for it). Read the model\'s EULA on its JumpStart model card first.',
          actions: ['acceptEula'],
        };
      }
      return {
        title: status === undefined ? 'The model server failed' : `The model server answered ${status}`,
        message,
        detail: [
          refused && `The request was sent in the ${FORMAT_LABELS[context.format]} format; the model may expect another (Detect the Format Again, or pick one under Format).`,
          service.LogStreamArn && `Model log: ${service.LogStreamArn}`,
        ]
          .filter(Boolean)
          .join('\n') || undefined,
        actions: refused ? [...(context.format === 'messages' || context.format === 'tgi' ? [otherFormat] : []), 'detectFormat', 'retry'] : ['retry'],
      };
    }
    case 'ModelOutputError':
      return { title: 'The model reported an error while generating', message: said, actions: ['retry'] };
    case 'ModelStreamError':
    case 'InternalStreamFailure':
      return {
        title: 'The answer broke off',
        message: said,
        detail: service.ErrorCode ? `Error code: ${service.ErrorCode}` : undefined,
        actions: ['retry'],
      };
    case 'ValidationError':
      // SageMaker Runtime says "not found" of an endpoint that exists but is not InService yet, too.
      return failure.kind === 'notFound'
        ? {
            title: `Endpoint ${context.endpoint} is not available`,
            message: said,
            detail: 'It may have been deleted, or not be InService yet.',
            actions: withRetry(failure.steps),
          }
        : { title: 'The request was refused', message: said, actions: ['retry'] };
    case 'ServiceUnavailable':
    case 'ModelNotReadyException':
      return { title: 'The endpoint is not ready', message: said, detail: 'Its instances are starting; try again shortly.', actions: ['retry'] };
    default:
      return { title: failure.kind === 'other' || failure.kind === 'refused' ? 'The invocation failed' : failure.title, message: failure.message, actions: withRetry(failure.steps) };
  }
}
