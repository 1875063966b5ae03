import { Module } from '@nestjs/common';
import { CaptchaModule } from '../captcha/captcha.module';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { PRINCIPAL_RESOLVER } from '../common/auth/principal';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordChangeService } from './password-change.service';
import { PasswordController } from './password.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [UsersModule, CaptchaModule],
  controllers: [AuthController, PasswordController],
  providers: [
    AuthService,
    LoginThrottle,
    SessionsService,
    PasswordChangeService,
    ActiveSanctions,
    { provide: PRINCIPAL_RESOLVER, useExisting: AuthService },
  ],
  // ActiveSanctions: moderation registers its sanction reader here; auth and chat compose it into their lookups.
  // SessionsService ends a member's sessions (reset, deletion); LoginThrottle.clearAccount lifts the brake (reset).
  exports: [PRINCIPAL_RESOLVER, AuthService, ActiveSanctions, SessionsService, LoginThrottle, PasswordChangeService],
})
export class AuthModule {}
