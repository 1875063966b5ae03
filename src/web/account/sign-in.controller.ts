import { canonicalTimeZone } from '../../common/time/time-zone';
import { Get, Inject, HttpCode, Ip, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccountDeletionService } from '../../account/account-deletion.service';
import { AuthService } from '../../auth/auth.service';
import { LoginDto } from '../../auth/dto/auth.dto';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { DomainError } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { mayReadOutbox, outboxOpenLocally } from '../../mail/outbox-access';
import { Form, type Submitted } from '../core/form.pipe';
import { field, pageRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { safeLocalPath } from '../core/pages';
import { WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { captchaAnswer, CaptchaForms, wantsNewPicture } from './captcha-forms';
import { labelled, refusal, type Refusal } from './refusal';

const LABELS: Record<string, string> = { login: 'Username or email', password: 'Password' };

/** A refused sign-in as the page says it: a wrong password in the service's one message, 422 like other refusals. */
function signInRefusal(err: unknown, captchaKind: 'image' | 'pow'): Refusal {
  if (err instanceof DomainError && err.code === 'unauthenticated') return pageRefusal(err.message);
  return refusal(err, LABELS, captchaKind);
}

interface SignInForm {
  login: string;
  password: string;
  next: string;
  captchaKind: 'image' | 'pow';
}

const SIGN_IN_FORM = {
  dto: LoginDto,
  typed: (body: unknown): SignInForm => ({
    login: field(body, 'login'),
    password: field(body, 'password'),
    next: safeLocalPath(field(body, 'next')),
    captchaKind: field(body, 'captchaKind') === 'pow' ? 'pow' : 'image',
  }),
  values: (form: SignInForm, body: unknown) => ({
    login: form.login,
    password: form.password,
    captcha: captchaAnswer(body),
    // Her browser's zone (the captcha island fills it in), kept if she has none; one the server does not know is left out.
    timeZone: canonicalTimeZone(field(body, 'timeZone')),
  }),
};

/** The captcha island: it fills in the browser's time zone, and the captcha when the brake asks for one. */
const SIGN_IN_PAGE = { islands: ['captcha'] };

/** What the page shows again: never the password; the captcha when the brake asked for one. */
interface Shown {
  next: string;
  login: string;
  captchaKind?: 'image' | 'pow';
}

/**
 * Signing in and out in a browser: the API's own checks and brake, a session cookie instead of tokens. When the
 * brake asks for a captcha (recent failed sign-ins from this connection), the form comes back with one.
 */
@WebController()
export class SignInController {
  constructor(
    private readonly auth: AuthService,
    private readonly deletions: AccountDeletionService,
    private readonly session: WebSession,
    private readonly captcha: CaptchaForms,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('signin')
  @Page('account/signin', SIGN_IN_PAGE)
  form(@Ip() ip: string, @Query('next') next?: string) {
    return view('Sign in', { next: safeLocalPath(next), login: '', form: {}, localMail: this.localMail(ip) });
  }

  /** On a trial server without SMTP, someone at the machine can read the mail it kept (mail/outbox-access.ts). */
  private localMail(ip: string): boolean {
    return outboxOpenLocally(this.config) && mayReadOutbox(this.config, undefined, ip);
  }

  /** The session cookie is this page's own answer, so the reply is passed through for it. */
  @Cost(COSTS.signIn)
  @Post('signin')
  @HttpCode(200)
  @Page('account/signin', SIGN_IN_PAGE)
  async signIn(
    @Form(SIGN_IN_FORM) form: Submitted<SignInForm, LoginDto>,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { next, login, captchaKind } = form.typed;
    const shown: Shown = { next, login, captchaKind };
    if (wantsNewPicture(form.body)) return this.show(ip, { ...shown, captchaKind: 'image' }, undefined, true);
    const sentCaptcha = captchaAnswer(form.body) !== undefined;
    try {
      if (form.refusal) return this.show(ip, shown, labelled(form.refusal, LABELS, captchaKind), sentCaptcha);
      const started = await this.auth.loginForBrowser(form.input as LoginDto, ip);
      this.session.start(reply.request, reply, started);
      // During a deletion's grace she lands where it says when, with the button that keeps her account.
      const deletion = await this.deletions.status(started.user.id);
      if (deletion.status === 'pending') {
        return redirect('/settings/account', 'Welcome back. Your account is due to be deleted: you can keep it here.');
      }
      return redirect(next, `Welcome back, ${started.user.displayName}.`);
    } catch (err) {
      const captchaRequired = err instanceof DomainError && err.hints?.captchaRequired === true;
      return this.show(ip, shown, signInRefusal(err, captchaKind), captchaRequired);
    }
  }

  private async show(ip: string, shown: Shown, problem?: Refusal, withCaptcha = false) {
    const captcha = withCaptcha ? await this.captcha.fresh(ip) : undefined;
    return view(
      'Sign in',
      {
        next: shown.next,
        login: shown.login,
        form: shown,
        error: problem?.message,
        problem,
        captcha,
        localMail: this.localMail(ip),
      },
      {
        status: problem?.status ?? 200,
        retryAfterSeconds: problem?.retryAfterSeconds,
        ...(captcha ? { islands: ['captcha'] } : {}),
      },
    );
  }

  @Intent('sign-out')
  @Post('signout')
  async signOut(@Res({ passthrough: true }) reply: FastifyReply, @CurrentUser() me?: Principal) {
    if (me) await this.auth.logout(me, '');
    this.session.end(reply.request, reply);
    return redirect('/', 'You are signed out. Take care.');
  }
}
