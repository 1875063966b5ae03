import { Text, TimeZone, Username } from '../../common/validation/decorators';
import type { Role } from '../../common/auth/role';

export class UpdateMeDto {
  @Text({ optional: true, min: 1, max: 64, description: 'the name other members see' })
  displayName?: string;

  @Text({ optional: true, max: 2000, description: 'Markdown, shown on the public profile' })
  bio?: string;

  @TimeZone({ optional: true, description: 'IANA time zone the pages write times in (default UTC)' })
  timeZone?: string;
}

export class UsernameParams {
  @Username()
  username!: string;
}

/** `user` in API answers. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

/** `/api/me`: the member's own profile, the only place their email is shown. */
export interface MeView extends UserView {
  email: string;
  /** Whether she confirmed it from the link mailed to it (no notification or digest goes before). */
  emailConfirmed: boolean;
  bio: string;
  /** Her IANA time zone, or null (the pages then write times in UTC). */
  timeZone: string | null;
}

/** A profile anyone may read: never the email. */
export interface PublicProfileView {
  username: string;
  displayName: string;
  bio: string;
  role: Role;
  joinedAt: string;
  postCount: number;
}
