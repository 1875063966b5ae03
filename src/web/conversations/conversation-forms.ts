import { PickType } from '@nestjs/swagger';
import {
  CLIENT_ID_PATTERN,
  ConversationSettingsDto,
  SendConversationMessageDto,
  StartConversationDto,
} from '../../conversations/dto/conversation.dto';
import { field } from '../core/forms';
import type { ReplyForm, StartForm } from './conversation-pages';
import { newClientId, usernamesOf } from './conversation-view';

/** The form's own id for a message, kept when it comes back; a missing or mangled one gets a fresh id. */
const clientIdOf = (form: unknown) => {
  const given = field(form, 'clientId');
  return CLIENT_ID_PATTERN.test(given) ? given : newClientId();
};

/** Starting a conversation: the API's own DTO (its rules and messages), the usernames typed in one field. */
export const START_FORM = {
  dto: StartConversationDto,
  labels: { usernames: 'To', body: 'Your message' },
  typed: (form: unknown): StartForm => ({
    usernames: field(form, 'usernames'),
    body: field(form, 'body'),
    clientId: clientIdOf(form),
  }),
  values: (typed: StartForm) => ({
    usernames: usernamesOf(typed.usernames),
    body: typed.body,
    clientId: typed.clientId,
  }),
};

/** A reply's part of the API's message (its rules and messages); the conversation is in the address. */
export class ReplyFormDto extends PickType(SendConversationMessageDto, ['body', 'clientId'] as const) {}

export const REPLY_FORM = {
  dto: ReplyFormDto,
  labels: { body: 'Your reply' },
  typed: (form: unknown): ReplyForm => ({ body: field(form, 'body'), clientId: clientIdOf(form) }),
};

export const SETTINGS_FORM = {
  dto: ConversationSettingsDto,
  labels: { accept: '' },
  typed: (form: unknown) => ({ accept: field(form, 'accept') }),
};
