import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACCEPT_SETTINGS,
  type AcceptSetting,
  CONVERSATION_KINDS,
  CONVERSATION_MESSAGE_STATUSES,
  type ConversationKind,
  type ConversationMessageStatus,
} from '../conversation.constants';
import type {
  ConversationAuthor,
  ConversationMessageView,
  ConversationSummary,
  ConversationView,
  ParticipantView,
} from '../conversation-views';

export class ConversationAuthorDto implements ConversationAuthor {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;
}

export class ParticipantDto extends ConversationAuthorDto implements ParticipantView {
  @ApiPropertyOptional({ enum: [true], description: 'she left the conversation' })
  left?: true;
}

export class ConversationMessageDto implements ConversationMessageView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  conversationId!: string;

  @ApiProperty({ type: ConversationAuthorDto, nullable: true })
  author!: ConversationAuthorDto | null;

  @ApiProperty({ description: 'written for the moderation team' })
  fromTeam!: boolean;

  @ApiProperty({ type: 'string', nullable: true, description: 'null once deleted (or hidden)' })
  body!: string | null;

  @ApiProperty({ description: 'sanitised HTML' })
  bodyHtml!: string;

  @ApiProperty({ description: "the sender's id for this message: the same clientId gives the same message" })
  clientId!: string;

  @ApiProperty({ enum: CONVERSATION_MESSAGE_STATUSES })
  status!: ConversationMessageStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ description: 'for the author, while it waits: why it was held' })
  heldReason?: string;
}

export class ConversationDto implements ConversationView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: CONVERSATION_KINDS })
  kind!: ConversationKind;

  @ApiProperty({ type: [ParticipantDto], description: 'everyone in it, in the order they joined, you included' })
  participants!: ParticipantDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastActivityAt!: string;

  @ApiProperty({ description: 'published messages from others after your read mark (at most 99)' })
  unread!: number;

  @ApiProperty({ description: 'a care conversation opened by the moderation team' })
  fromTeam!: boolean;
}

export class ConversationSummaryDto extends ConversationDto implements ConversationSummary {
  @ApiProperty({ type: ConversationMessageDto, nullable: true, description: 'the latest message you can see' })
  lastMessage!: ConversationMessageDto | null;
}

export class StartedConversationDto {
  @ApiProperty({ type: ConversationDto })
  conversation!: ConversationDto;

  @ApiProperty({ type: ConversationMessageDto })
  message!: ConversationMessageDto;

  @ApiProperty({ enum: ['published', 'pending'] })
  status!: 'published' | 'pending';

  @ApiPropertyOptional({ description: 'support resources, when the message touched on crisis' })
  notice?: string;
}

export class SentConversationMessageDto extends ConversationMessageDto {
  @ApiPropertyOptional({ description: 'support resources, when the message touched on crisis' })
  notice?: string;
}

export class ConversationMessagePageDto {
  @ApiProperty({ type: [ConversationMessageDto] })
  items!: ConversationMessageDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'with ?after=: pass it as the next after; otherwise as the next before. Null at the end',
  })
  nextCursor!: string | null;

  @ApiProperty({ description: 'whether more messages are there beyond this page' })
  more!: boolean;
}

export class ConversationSettingsViewDto {
  @ApiProperty({ enum: ACCEPT_SETTINGS })
  accept!: AcceptSetting;
}
