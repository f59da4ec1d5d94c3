// Why an answer failed, in words the chat shows inline, with what the user can do next. Pure,
// unit-tested.
import type { ChatAction, ChatFailure, PayloadFormat } from '../../webview/chat/protocol';
import { classifyFailure } from '../aws/errors';
import { modelErrorMessage } from './chatPayloads';

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
  context: { endpoint: string; format: PayloadFormat; mode: 'aws' | 'emulator' },
): ChatFailure {
  const failure = classifyFailure(error);
  const service = (error ?? {}) as ServiceError;
  const otherFormat: ChatAction = context.format === 'messages' ? 'useTgi' : 'useMessages';
  if (failure.kind === 'unreachable') {
    return {
      title: context.mode === 'emulator' ? 'Cannot reach the local emulator' : 'Cannot reach SageMaker Runtime',
      message: failure.message,
      actions: context.mode === 'emulator' ? ['startEmulator', 'retry'] : ['switchConnection', 'retry'],
    };
  }
  if (failure.kind === 'credentials') {
    return { title: 'No valid AWS credentials', message: failure.message, actions: ['switchConnection', 'retry'] };
  }
  if (failure.kind === 'settings') {
    return { title: 'Invalid connection setting', message: failure.message, actions: ['switchConnection'] };
  }
  switch (service.name) {
    case 'ModelError': {
      const status = service.OriginalStatusCode;
      // A 4xx from the model server is most often a payload in a format it does not speak.
      const refused = status !== undefined && status >= 400 && status < 500;
      return {
        title: status === undefined ? 'The model server failed' : `The model server answered ${status}`,
        message: modelErrorMessage(service.OriginalMessage) ?? failure.message,
        detail: [
          refused && `The request was sent in the ${context.format === 'messages' ? 'Messages API' : 'TGI'} format; the model may expect the other.`,
          service.LogStreamArn && `Model log: ${service.LogStreamArn}`,
        ]
          .filter(Boolean)
          .join('\n') || undefined,
        actions: refused ? [otherFormat, 'retry'] : ['retry'],
      };
    }
    case 'ModelOutputError':
      return { title: 'The model reported an error while generating', message: failure.message, actions: ['retry'] };
    case 'ModelStreamError':
    case 'InternalStreamFailure':
      return {
        title: 'The answer broke off',
        message: failure.message,
        detail: service.ErrorCode ? `Error code: ${service.ErrorCode}` : undefined,
        actions: ['retry'],
      };
    case 'ValidationError':
      return /not found/i.test(failure.message)
        ? {
            title: `Endpoint ${context.endpoint} is not available`,
            message: failure.message,
            detail: 'It may have been deleted, or not be InService yet.',
            actions: ['showEndpoints', 'retry'],
          }
        : { title: 'The request was refused', message: failure.message, actions: ['retry'] };
    case 'ServiceUnavailable':
    case 'ModelNotReadyException':
      return { title: 'The endpoint is not ready', message: failure.message, detail: 'Its instances are starting; try again shortly.', actions: ['retry'] };
    case 'ThrottlingException':
      return { title: 'Too many requests', message: failure.message, actions: ['retry'] };
    default:
      return { title: 'The invocation failed', message: failure.message, actions: ['retry'] };
  }
}
