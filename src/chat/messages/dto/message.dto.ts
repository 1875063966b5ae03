import { IsString, Matches, MinLength } from 'class-validator';
import { MESSAGE_ID_PATTERN, RoomSlug } from '../../rooms/dto/room.dto';

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `message:send`. The length limit (CHAT_MAX_LENGTH) is configuration, so the service checks it. */
export class SendMessageDto {
  @RoomSlug({ property: 'room' })
  room!: string;

  @IsString({ message: 'body must be text (Markdown)' })
  @MinLength(1, { message: 'body must not be empty' })
  body!: string;

  @IsString({ message: 'clientId must be a string' })
  @Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1-64 characters: letters, digits, - and _' })
  clientId!: string;
}

export class DeleteMessageDto {
  @IsString({ message: 'id must be a message id (a string)' })
  @Matches(MESSAGE_ID_PATTERN, { message: 'id must be a message id' })
  id!: string;
}
