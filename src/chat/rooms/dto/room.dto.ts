import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Int, Text, Username } from '../../../common/validation/decorators';
import { ROOM_APPROVALS, ROOM_KINDS, type RoomApproval, type RoomKind } from '../chat-room.constants';

export const ROOM_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;
export const MESSAGE_ID_PATTERN = /^\d{1,18}$/;

/** A room's slug, in a body, a path or a socket payload. */
export function RoomSlug(o: { property?: 'slug' | 'room' } = {}) {
  const what = o.property === 'room' ? "a room's slug" : 'a slug';
  return applyDecorators(
    ApiProperty({ example: 'lobby', pattern: ROOM_SLUG_PATTERN.source }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString({ message: `$property must be ${what}` }),
    Matches(ROOM_SLUG_PATTERN, {
      message: `$property must be ${what}: 2-64 characters, a-z, 0-9 and -, starting with a letter or digit`,
    }),
  );
}

/** An ISO-8601 date and time, with its zone. */
function DateTime(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ format: 'date-time', description }),
    IsOptional(),
    IsDateString({ strict: true }, { message: '$property must be an ISO-8601 date and time' }),
  );
}

export class CreateRoomDto {
  @RoomSlug()
  slug!: string;

  @Text({ min: 2, max: 80 })
  name!: string;

  @Text({ optional: true, max: 500 })
  description?: string;

  @ApiProperty({ enum: ROOM_KINDS, description: 'open: any time; session: only between startsAt and endsAt' })
  @IsIn(ROOM_KINDS, { message: 'kind must be open or session' })
  kind!: RoomKind;

  @DateTime('a session: when it opens for messages')
  startsAt?: string;

  @DateTime('a session: when it closes')
  endsAt?: string;

  @Int({ optional: true, min: 0, max: 3600, description: 'seconds between two messages of a member (0: off)' })
  slowModeSeconds?: number;

  @ApiPropertyOptional({ enum: ROOM_APPROVALS, default: 'none' })
  @IsOptional()
  @IsIn(ROOM_APPROVALS, { message: 'approval must be none, new_members or all' })
  approval?: RoomApproval;
}

export class UpdateRoomDto {
  @Text({ optional: true, min: 2, max: 80 })
  name?: string;

  @Text({ optional: true, max: 500 })
  description?: string;

  @DateTime('a session: when it opens for messages')
  startsAt?: string;

  @DateTime('a session: when it closes')
  endsAt?: string;

  @Int({ optional: true, min: 0, max: 3600, description: 'seconds between two messages of a member (0: off)' })
  slowModeSeconds?: number;

  @ApiPropertyOptional({ enum: ROOM_APPROVALS })
  @IsOptional()
  @IsIn(ROOM_APPROVALS, { message: 'approval must be none, new_members or all' })
  approval?: RoomApproval;
}

export class RoomSlugParams {
  @RoomSlug()
  slug!: string;
}

const limitMessage = 'limit must be a whole number from 1 to 100';

/** `?before=` (older than that id), `?after=` (newer than it), or neither (the latest); oldest first either way. */
export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'a message id: the messages just before it' })
  @IsOptional()
  @Matches(MESSAGE_ID_PATTERN, { message: 'before must be a message id' })
  before?: string;

  @ApiPropertyOptional({ description: 'a message id: the messages just after it (catching up)' })
  @IsOptional()
  @Matches(MESSAGE_ID_PATTERN, { message: 'after must be a message id' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: limitMessage })
  @Min(1, { message: limitMessage })
  @Max(100, { message: limitMessage })
  limit?: number;
}

// ---- socket payloads (validated by the gateway's parsePayload) --------------------------------------------------

export class RoomJoinDto {
  @RoomSlug({ property: 'room' })
  room!: string;

  @IsOptional()
  @IsString({ message: 'sinceId must be a message id (a string)' })
  @Matches(MESSAGE_ID_PATTERN, { message: 'sinceId must be a message id' })
  sinceId?: string;
}

export class RoomDto {
  @RoomSlug({ property: 'room' })
  room!: string;
}

export class TypingDto {
  @RoomSlug({ property: 'room' })
  room!: string;

  @IsBoolean({ message: 'typing must be true or false' })
  typing!: boolean;
}

export class RoomMuteDto {
  @RoomSlug({ property: 'room' })
  room!: string;

  @Username()
  username!: string;

  @IsInt({ message: 'minutes must be a whole number from 0 to 10080' })
  @Min(0, { message: 'minutes must be a whole number from 0 to 10080' })
  @Max(10080, { message: 'minutes must be a whole number from 0 to 10080' })
  minutes!: number;
}

export class RoomKickDto {
  @RoomSlug({ property: 'room' })
  room!: string;

  @Username()
  username!: string;

  @IsOptional()
  @IsInt({ message: 'minutes must be a whole number from 0 to 10080' })
  @Min(0, { message: 'minutes must be a whole number from 0 to 10080' })
  @Max(10080, { message: 'minutes must be a whole number from 0 to 10080' })
  minutes?: number;
}
