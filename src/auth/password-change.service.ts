import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { badInput, forbidden } from '../common/errors/domain-error';
import { UsersService } from '../users/users.service';
import type { ChangePasswordDto } from './dto/auth.dto';
import { accountOf, LoginThrottle } from './login-throttle';
import { passwordWeakness } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

/** 403, not 400: the request is well formed, but it does not prove who is asking. */
export const WRONG_CURRENT_PASSWORD = 'currentPassword is not the password of your account';

/**
 * A member changes her password: she proves the current one (wrong guesses count in the sign-in brake, so a
 * stolen token cannot be used to guess it), the new one meets the policy for her account, and every other session
 * ends (the one she is using stays).
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
  ) {}

  async change(me: Principal, input: ChangePasswordDto, ip: string): Promise<void> {
    const attempt = { account: accountOf(me.id, ''), ip };
    await this.throttle.claimReauthentication(attempt);
    const mine = await this.users.ownCredentials(me.id);
    if (!(await verifyPassword(mine.passwordHash, input.currentPassword))) throw forbidden(WRONG_CURRENT_PASSWORD);
    await this.throttle.succeeded(attempt);
    const weakness = passwordWeakness(input.newPassword, mine);
    if (weakness) throw badInput('newPassword', `is too easy to guess: ${weakness}`);
    if (input.newPassword === input.currentPassword) {
      throw badInput('newPassword', 'must differ from your current password');
    }
    await this.users.setPasswordHash(me.id, await hashPassword(input.newPassword));
    await this.sessions.endAll(me.id, { except: me.sessionId, reason: 'password_changed' });
  }
}
