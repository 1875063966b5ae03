import { Module } from '@nestjs/common';
import { CaptchaModule } from '../captcha/captcha.module';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { HeaderCounts } from '../common/auth/header-counts';
import { PRINCIPAL_RESOLVER } from '../common/auth/principal';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { AccountLinksController } from './account-links.controller';
import { AccountMail } from './account-mail';
import { AccountMailLimits } from './account-mail-limits';
import { AccountTokens } from './account-tokens';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailChange } from './email-change';
import { EmailVerification } from './email-verification';
import { LoginThrottle } from './login-throttle';
import { MyEmailController } from './my-email.controller';
import { PasswordChangeService } from './password-change.service';
import { PasswordReset } from './password-reset';
import { PasswordController } from './password.controller';
import { SessionsService } from './sessions.service';
import { SetupLink } from './setup-link';

@Module({
  imports: [UsersModule, CaptchaModule, MailModule],
  controllers: [AuthController, PasswordController, AccountLinksController, MyEmailController],
  providers: [
    AuthService,
    LoginThrottle,
    SessionsService,
    PasswordChangeService,
    ActiveSanctions,
    HeaderCounts,
    // Account mail: confirming an address, a forgotten password, a change of address (account_tokens).
    AccountTokens,
    AccountMail,
    AccountMailLimits,
    EmailVerification,
    PasswordReset,
    EmailChange,
    // The first admin of a fresh install (setup_tokens).
    SetupLink,
    { provide: PRINCIPAL_RESOLVER, useExisting: AuthService },
  ],
  // ActiveSanctions: moderation registers its sanction reader here; auth and chat compose it into their lookups.
  // HeaderCounts: features register the counts a signed-in page's header shows, read with her browser session.
  // SessionsService ends a member's sessions (reset, deletion); LoginThrottle.clearAccount lifts the brake (reset).
  // EmailVerification, PasswordReset and EmailChange serve the account pages as they serve the API.
  exports: [
    PRINCIPAL_RESOLVER,
    AuthService,
    ActiveSanctions,
    HeaderCounts,
    SessionsService,
    LoginThrottle,
    PasswordChangeService,
    EmailVerification,
    PasswordReset,
    EmailChange,
    SetupLink,
  ],
})
export class AuthModule {}
