import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthorView, ChatMessageView } from '../../chat-events';
import { MESSAGE_STATUSES, type MessageStatus } from '../chat-message.constants';
import type { MessagePage } from '../messages.service';

export class ChatAuthorDto implements AuthorView {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;
}

/** A chat message, as history and the `message` socket event carry it. */
export class ChatMessageDto implements ChatMessageView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: "the room's slug" })
  room!: string;

  @ApiProperty({ type: ChatAuthorDto })
  author!: ChatAuthorDto;

  @ApiProperty({ type: 'string', nullable: true, description: 'null once deleted (or hidden, for members)' })
  body!: string | null;

  @ApiProperty({ description: 'sanitised HTML' })
  bodyHtml!: string;

  @ApiProperty({ description: "the sender's id for this message: the same clientId gives the same message" })
  clientId!: string;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: MessageStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ description: 'for the author and moderators, while it waits: why it was held' })
  heldReason?: string;
}

/** A page of room history, oldest first. */
export class ChatMessagePageDto implements MessagePage {
  @ApiProperty({ type: [ChatMessageDto] })
  items!: ChatMessageDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'with ?after=: pass it as the next after; otherwise as the next before. Null at the end',
  })
  nextCursor!: string | null;

  @ApiProperty({ description: 'whether more messages are there beyond this page' })
  more!: boolean;
}
