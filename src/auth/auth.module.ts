import { Module } from '@nestjs/common';
import { CaptchaModule } from '../captcha/captcha.module';
import { PRINCIPAL_RESOLVER } from '../common/auth/principal';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

@Module({
  imports: [UsersModule, CaptchaModule],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottle, { provide: PRINCIPAL_RESOLVER, useExisting: AuthService }],
  exports: [PRINCIPAL_RESOLVER, AuthService],
})
export class AuthModule {}
