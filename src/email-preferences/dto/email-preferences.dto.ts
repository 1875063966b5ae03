import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EMAIL_FREQUENCIES, type EmailFrequency, type EmailPreferences } from '../email-preferences.constants';

const message = `$property must be one of ${EMAIL_FREQUENCIES.join(', ')}`;

/** One kind's frequency in a change: optional, one of the four. */
function Frequency(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: EMAIL_FREQUENCIES, description }),
    IsOptional(),
    IsIn(EMAIL_FREQUENCIES, { message }),
  );
}

/** `PATCH /api/me/email-preferences`: any subset of the four kinds. */
export class UpdateEmailPreferencesDto implements Partial<EmailPreferences> {
  @Frequency('replies to your posts and in threads you watch')
  replies?: EmailFrequency;

  @Frequency('when someone names you with @username')
  mentions?: EmailFrequency;

  @Frequency('when moderators act on something you wrote')
  moderation?: EmailFrequency;

  @Frequency('the digest of what you subscribed to')
  digest?: EmailFrequency;
}

/** A member's choices, each `off`, `immediately`, `daily` or `weekly`. */
export class EmailPreferencesDto implements EmailPreferences {
  @ApiProperty({ enum: EMAIL_FREQUENCIES, example: 'immediately' })
  replies!: EmailFrequency;

  @ApiProperty({ enum: EMAIL_FREQUENCIES, example: 'immediately' })
  mentions!: EmailFrequency;

  @ApiProperty({ enum: EMAIL_FREQUENCIES, example: 'immediately' })
  moderation!: EmailFrequency;

  @ApiProperty({ enum: EMAIL_FREQUENCIES, example: 'daily' })
  digest!: EmailFrequency;
}
