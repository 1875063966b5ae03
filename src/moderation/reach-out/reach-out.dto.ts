import { ApiProperty } from '@nestjs/swagger';
import { Text } from '../../common/validation/decorators';
import { STARTER_TEXT_MAX } from './starter-text';

export class ReachOutDto {
  @Text({
    optional: true,
    min: 1,
    max: STARTER_TEXT_MAX,
    description: 'the first message (Markdown); by default the starter text an admin set',
  })
  body?: string;
}

export class StarterTextDto {
  @Text({ min: 1, max: STARTER_TEXT_MAX, description: 'Markdown: the first message of every care conversation' })
  starterText!: string;
}

export class ReachOutSettingsDto {
  @ApiProperty({ description: 'Markdown: the first message of every care conversation' })
  starterText!: string;

  @ApiProperty({ description: 'false while the default text is used' })
  custom!: boolean;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  updatedAt!: string | null;

  @ApiProperty({ description: 'the default text, to go back to' })
  defaultText!: string;
}

/** The care conversation as the conversations feature answers it (ConversationView). */
export class CareConversationDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['care'] })
  kind!: string;

  @ApiProperty({ description: 'marked as from the moderation team' })
  fromTeam!: boolean;
}

/** Its first message (ConversationMessageView). */
export class CareMessageDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  conversationId!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty()
  fromTeam!: boolean;
}

export class ReachOutResultDto {
  @ApiProperty({ type: CareConversationDto, description: 'open it at /messages/:id' })
  conversation!: CareConversationDto;

  @ApiProperty({
    type: CareMessageDto,
    nullable: true,
    description: 'the first message; null when it was open already',
  })
  message!: CareMessageDto | null;
}
