import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { SignInController } from './sign-in.controller';

/** Signing in and out, signing up, settings and profiles. */
@Module({
  imports: [AuthModule],
  controllers: [SignInController],
})
export class AccountPagesModule {}
