import { Get, HttpCode, Ip, Post } from '@nestjs/common';
import { CHANGE_ASKED, LINK_SENT } from '../../auth/my-email.controller';
import { ChangeEmailDto } from '../../auth/dto/account-mail.dto';
import { EmailChange } from '../../auth/email-change';
import { EmailVerification } from '../../auth/email-verification';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { UsersService } from '../../users/users.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, formRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { labelled, type Refusal } from './refusal';

const PAGE = { noindex: true };
const LABELS: Record<string, string> = { email: 'New email address', password: 'Your password' };

interface EmailForm {
  email: string;
}

/** The new address is shown again after a refusal; the password never is. */
const EMAIL_FORM = {
  dto: ChangeEmailDto,
  typed: (body: unknown): EmailForm => ({ email: field(body, 'email') }),
  values: (typed: EmailForm, body: unknown) => ({ email: typed.email, password: field(body, 'password') }),
};

/**
 * A member's address in her settings: whether it is confirmed (and the link again), and moving to another address
 * (a link to the new one; the API's own EmailChange). Silenced members may too, as on the API.
 */
@WebController('settings/address')
@MembersOnly()
@Intent('sign-in')
export class EmailSettingsController {
  constructor(
    private readonly users: UsersService,
    private readonly verification: EmailVerification,
    private readonly emailChange: EmailChange,
  ) {}

  @Get()
  @Page('account/email-settings', PAGE)
  page(@CurrentUser() me: Principal) {
    return this.show(me, { email: '' });
  }

  @Cost(COSTS.signIn)
  @Post()
  @HttpCode(200)
  @Page('account/email-settings', PAGE)
  async change(
    @Form(EMAIL_FORM) form: Submitted<EmailForm, ChangeEmailDto>,
    @CurrentUser() me: Principal,
    @Ip() ip: string,
  ) {
    return submit(
      form,
      async (input) => {
        await this.emailChange.request(me, input, ip);
        return redirect('/settings/address', CHANGE_ASKED);
      },
      (refused) => this.show(me, form.typed, { problem: labelled(refused, LABELS) }),
      ['forbidden'],
    );
  }

  @Post('confirmation')
  @HttpCode(200)
  @Page('account/email-settings', PAGE)
  async resend(@CurrentUser() me: Principal) {
    try {
      await this.verification.resend(me.id);
    } catch (err) {
      return this.show(me, { email: '' }, { resendProblem: labelled(formRefusal(err), {}) });
    }
    return redirect('/settings/address', LINK_SENT);
  }

  private async show(me: Principal, form: EmailForm, extra: { problem?: Refusal; resendProblem?: Refusal } = {}) {
    const mine = await this.users.getMe(me.id);
    const problem = extra.problem ?? extra.resendProblem;
    return view(
      'Your email address',
      { form, email: mine.email, confirmed: mine.emailConfirmed, username: mine.username, ...extra },
      { status: problem?.status ?? 200, retryAfterSeconds: problem?.retryAfterSeconds },
    );
  }
}
