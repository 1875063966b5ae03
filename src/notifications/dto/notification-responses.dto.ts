import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification.constants';
import type { NotificationView } from '../notifications.service';

export class NotificationDto implements NotificationView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind!: NotificationKind;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what happened, by kind: e.g. threadId, postId, username, excerpt, message',
  })
  data!: Record<string, unknown>;

  @ApiProperty()
  read!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** A page of notifications, newest first, with how many are unread in all. */
export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items!: NotificationDto[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'pass it as ?cursor= for the next page; null at the end',
  })
  nextCursor!: string | null;

  @ApiProperty({ type: 'integer' })
  unread!: number;
}
