import { Module } from '@nestjs/common';
import { CaptchaModule } from '../captcha/captcha.module';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { PRINCIPAL_RESOLVER } from '../common/auth/principal';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

@Module({
  imports: [UsersModule, CaptchaModule],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottle, ActiveSanctions, { provide: PRINCIPAL_RESOLVER, useExisting: AuthService }],
  // ActiveSanctions: moderation registers its sanction reader here; auth and chat compose it into their lookups.
  exports: [PRINCIPAL_RESOLVER, AuthService, ActiveSanctions],
})
export class AuthModule {}
