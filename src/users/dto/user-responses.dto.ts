import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/auth/role';
import type { MeView, PublicProfileView, UserView } from './user.dto';

/** `user` in API answers. */
export class UserDto implements UserView {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ example: 'hope_rising' })
  username!: string;

  @ApiProperty({ example: 'Hope' })
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** `/api/me`: your own profile, the only place your email is shown. */
export class MeDto extends UserDto implements MeView {
  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ description: 'confirmed from the link mailed to it; POST /api/me/verification-email sends it again' })
  emailConfirmed!: boolean;

  @ApiProperty({ description: 'Markdown' })
  bio!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'America/New_York',
    description: 'IANA time zone the pages write times in; null: UTC',
  })
  timeZone!: string | null;
}

/** A profile anyone may read: never the email. */
export class PublicProfileDto implements PublicProfileView {
  @ApiProperty({ example: 'hope_rising' })
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ description: 'Markdown' })
  bio!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  joinedAt!: string;

  @ApiProperty({ type: 'integer' })
  postCount!: number;
}

/** A member you blocked. */
export class BlockedMemberDto {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;
}
