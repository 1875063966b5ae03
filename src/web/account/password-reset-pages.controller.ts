import { Get, HttpCode, Inject, Ip, Post, Query } from '@nestjs/common';
import { RESET_ASKED } from '../../auth/account-links.controller';
import { PasswordResetConfirmDto, PasswordResetRequestDto } from '../../auth/dto/account-mail.dto';
import { PASSWORD_MIN } from '../../auth/password-policy';
import { PasswordReset } from '../../auth/password-reset';
import { Intent } from '../../common/auth/intent';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { mayReadOutbox, outboxOpenLocally } from '../../mail/outbox-access';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, problemsOf } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { deadLink } from './link-pages';
import { labelled, type Refusal } from './refusal';

const PAGE = { noindex: true };

const FORGOT_FORM = {
  dto: PasswordResetRequestDto,
  typed: (body: unknown) => ({ email: field(body, 'email') }),
};

/** Nothing typed is shown again but the token, which the page already had. */
const RESET_FORM = {
  dto: PasswordResetConfirmDto,
  typed: (body: unknown) => ({ token: field(body, 'token') }),
  values: (typed: { token: string }, body: unknown) => ({ token: typed.token, password: field(body, 'password') }),
};

/**
 * A forgotten password in a browser: the sign-in page's "Forgot your password?", a form for the address, the same
 * "check your mail" page whatever the address, then the mailed link's page with the new password. The API's own
 * services and rules; a link opened by a mail scanner (a GET) changes nothing.
 */
@WebController()
@Intent('sign-out') // acts by the link, not as whoever is signed in: a sanction never stands in its way
export class PasswordResetPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reset: PasswordReset,
  ) {}

  @Get('forgot-password')
  @Page('account/forgot-password', PAGE)
  forgot() {
    return view('Forgot your password?', { form: { email: '' } });
  }

  @Cost(COSTS.signIn)
  @Post('forgot-password')
  @HttpCode(200)
  @Page('account/forgot-password', PAGE)
  async ask(@Form(FORGOT_FORM) form: Submitted<{ email: string }, PasswordResetRequestDto>, @Ip() ip: string) {
    return submit(
      form,
      async (input) => {
        await this.reset.request(input.email, ip);
        return redirect('/forgot-password/sent');
      },
      (refused) => this.again(form.typed, labelled(refused, { email: 'Email' })),
    );
  }

  @Get('forgot-password/sent')
  @Page('account/mail-link', PAGE)
  sent(@Ip() ip: string) {
    // Someone trying Haven on her own machine, with no mail server set up, reads the mail here instead.
    const local = outboxOpenLocally(this.config) && mayReadOutbox(this.config, undefined, ip);
    return view('Check your mail', {
      heading: 'Check your mail',
      paragraphs: [
        RESET_ASKED,
        'The link works for one hour. If nothing comes in a few minutes, look in your spam folder, or try again.',
      ],
      links: [
        ...(local ? [{ href: '/admin/mail', label: 'This server sends no mail yet: read the mail it kept' }] : []),
        { href: '/signin', label: 'Back to sign in' },
      ],
    });
  }

  @Get('reset-password')
  @Page('account/reset-password', PAGE)
  async form(@Query('token') token?: string) {
    try {
      await this.reset.check(token ?? '');
    } catch {
      return deadLink('/forgot-password', 'Ask for a new link');
    }
    return view('Choose a new password', { token, passwordMin: PASSWORD_MIN });
  }

  @Cost(COSTS.signIn)
  @Post('reset-password')
  @HttpCode(200)
  @Page('account/reset-password', PAGE)
  async choose(@Form(RESET_FORM) form: Submitted<{ token: string }, PasswordResetConfirmDto>) {
    return submit(
      form,
      async (input) => {
        await this.reset.confirm(input.token, input.password);
        return redirect('/signin', 'Your new password is saved. Please sign in with it.');
      },
      (refused) => {
        const problem = labelled(refused, { password: 'New password', token: 'This link' });
        if (problemsOf(problem).some((p) => p.field === 'token'))
          return deadLink('/forgot-password', 'Ask for a new link');
        return view(
          'Choose a new password',
          { token: form.typed.token, passwordMin: PASSWORD_MIN, problem },
          { status: problem.status },
        );
      },
    );
  }

  private again(form: { email: string }, problem: Refusal) {
    return view(
      'Forgot your password?',
      { form, problem },
      { status: problem.status, retryAfterSeconds: problem.retryAfterSeconds },
    );
  }
}
