import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * `author` in forum answers. Anonymous posts show members and guests `{username: null, displayName: "Anonymous
 * member"}`; moderators still see who wrote them, with `anonymous: true`.
 */
export class AuthorDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'hope_rising', description: 'null when anonymous' })
  username!: string | null;

  @ApiProperty({ example: 'Hope' })
  displayName!: string;

  @ApiPropertyOptional({ type: Boolean, description: 'moderators only, true: written anonymously' })
  anonymous?: true;
}
