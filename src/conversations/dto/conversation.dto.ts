import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { NumericId, USERNAME_PATTERN } from '../../common/validation/decorators';
import { ACCEPT_SETTINGS, type AcceptSetting, MAX_PARTICIPANTS } from '../conversation.constants';

const LIMIT = 'limit must be a whole number from 1 to 100';

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function ClientId() {
  return (target: object, key: string) => {
    ApiProperty({
      description: "the sender's own id for this message: the same clientId gives the same message",
      pattern: CLIENT_ID_PATTERN.source,
    })(target, key);
    IsString({ message: 'clientId must be a string' })(target, key);
    Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1-64 characters: letters, digits, - and _' })(target, key);
  };
}

function Body() {
  return (target: object, key: string) => {
    ApiProperty({ description: 'Markdown' })(target, key);
    IsString({ message: 'body must be text (Markdown)' })(target, key);
    MinLength(1, { message: 'body must not be empty' })(target, key);
  };
}

export class StartConversationDto {
  @ApiProperty({
    type: [String],
    description: `the other members, by username (1-${MAX_PARTICIPANTS - 1}); you are added yourself`,
  })
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value,
  )
  @IsArray({ message: 'usernames must be a list of usernames' })
  @ArrayMinSize(1, { message: 'usernames must name at least one member' })
  @ArrayMaxSize(MAX_PARTICIPANTS - 1, {
    message: `usernames must name at most ${MAX_PARTICIPANTS - 1} members (${MAX_PARTICIPANTS} with you)`,
  })
  @IsString({ each: true, message: 'usernames must be a list of usernames' })
  @Matches(USERNAME_PATTERN, { each: true, message: 'usernames must each be 3-32 characters: a-z, digits and _' })
  usernames!: string[];

  @Body()
  body!: string;

  @ClientId()
  clientId!: string;
}

export class SendConversationMessageDto {
  @Body()
  body!: string;

  @ClientId()
  clientId!: string;
}

export class ReadConversationDto {
  @NumericId({ description: 'the last message read' })
  upToId!: string;
}

export class ConversationSettingsDto {
  @ApiProperty({ enum: ACCEPT_SETTINGS, description: 'who may start a conversation with you' })
  @IsIn(ACCEPT_SETTINGS, { message: 'accept must be everyone, known or nobody' })
  accept!: AcceptSetting;
}

export class ConversationListQueryDto extends PageQueryDto {}

/** `?before=` (older than that id), `?after=` (newer than it), or neither (the latest); oldest first either way. */
export class ConversationHistoryQueryDto {
  @NumericId({ optional: true, description: 'a message id: the messages just before it' })
  before?: string;

  @NumericId({ optional: true, description: 'a message id: the messages just after it (catching up)' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(100, { message: LIMIT })
  limit?: number;
}

// ---- socket payloads (validated with parsePayload) ------------------------------------------------------------

export class ConversationJoinDto {
  @NumericId()
  id!: string;

  @NumericId({ optional: true })
  sinceId?: string;
}

export class ConversationSendDto extends SendConversationMessageDto {
  @NumericId()
  id!: string;
}

export class ConversationReadDto extends ReadConversationDto {
  @NumericId()
  id!: string;
}
