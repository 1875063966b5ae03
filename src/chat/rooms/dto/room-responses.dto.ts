import { ApiProperty } from '@nestjs/swagger';
import type { RoomView } from '../../chat-events';
import { ROOM_KINDS, type RoomKind } from '../chat-room.constants';

export class RoomDto implements RoomView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'lobby' })
  slug!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: ROOM_KINDS, description: 'open: any time; session: only between startsAt and endsAt' })
  kind!: RoomKind;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  startsAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  endsAt!: string | null;

  @ApiProperty({ type: 'integer', description: '0: no slow mode' })
  slowModeSeconds!: number;

  @ApiProperty({ description: 'whether the room takes messages now' })
  acceptingMessages!: boolean;
}
