import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CONTENT_CHOICES, type ContentChoice } from '../../common/member-data/member-data';
import { TOKEN_PATTERN } from '../../common/tokens/one-time-token';

export class DeleteAccountDto {
  @ApiProperty({ format: 'password', description: 'your password now' })
  @IsString()
  @Length(1, 1024, { message: 'password must not be empty' })
  password!: string;

  @ApiProperty({
    enum: CONTENT_CHOICES,
    description: 'anonymise: your posts, comments and chat messages stay, signed "Former member"; delete: they go',
  })
  @IsIn(CONTENT_CHOICES, { message: `content must be one of ${CONTENT_CHOICES.join(', ')}` })
  content!: ContentChoice;
}

export class CancelDeletionDto {
  @ApiPropertyOptional({ description: 'the token from the cancel link in the mail (not needed when signed in)' })
  @IsOptional()
  @IsString()
  @Matches(TOKEN_PATTERN, { message: 'token must be the token from the link in the mail' })
  token?: string;
}
