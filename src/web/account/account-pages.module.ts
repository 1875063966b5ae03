import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { EmailPreferencesModule } from '../../email-preferences/email-preferences.module';
import { UsersModule } from '../../users/users.module';
import { CaptchaFormsModule } from './captcha-forms.module';
import { ProfileController } from './profile.controller';
import { SettingsController } from './settings.controller';
import { SignInController } from './sign-in.controller';
import { SignUpController } from './sign-up.controller';

/** Signing in and out, signing up, settings and profiles. */
@Module({
  imports: [AuthModule, UsersModule, CaptchaFormsModule, EmailPreferencesModule],
  controllers: [SignInController, SignUpController, SettingsController, ProfileController],
})
export class AccountPagesModule {}
