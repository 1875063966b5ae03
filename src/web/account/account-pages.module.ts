import { Module } from '@nestjs/common';
import { AccountModule } from '../../account/account.module';
import { AuthModule } from '../../auth/auth.module';
import { ConversationsModule } from '../../conversations/conversations.module';
import { EmailPreferencesModule } from '../../email-preferences/email-preferences.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { StoriesModule } from '../../stories/stories.module';
import { UsersModule } from '../../users/users.module';
import { AccountLifeController, DeletionCancelController } from './account-life.controller';
import { CaptchaFormsModule } from './captcha-forms.module';
import { EmailSettingsController } from './email-settings.controller';
import { MailLinkPagesController } from './mail-link-pages.controller';
import { PasswordResetPagesController } from './password-reset-pages.controller';
import { ProfilePage } from './profile-page';
import { ProfileController } from './profile.controller';
import { ProfileSanctionsController } from './profile-sanctions.controller';
import { SettingsController } from './settings.controller';
import { SignInController } from './sign-in.controller';
import { SignUpController } from './sign-up.controller';

/**
 * Signing in and out, signing up, settings and profiles, a member's data and her account's end, a forgotten
 * password and the links in account mail.
 */
@Module({
  imports: [
    AuthModule,
    UsersModule,
    CaptchaFormsModule,
    EmailPreferencesModule,
    AccountModule,
    ModerationModule,
    StoriesModule,
    ConversationsModule,
  ],
  controllers: [
    SignInController,
    SignUpController,
    SettingsController,
    ProfileController,
    ProfileSanctionsController,
    AccountLifeController,
    DeletionCancelController,
    // The pages of account mail: a forgotten password, the mailed links, the address in the settings.
    PasswordResetPagesController,
    MailLinkPagesController,
    EmailSettingsController,
  ],
  providers: [ProfilePage],
})
export class AccountPagesModule {}
