import { Body, Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../../auth/auth.service';
import { PASSWORD_MIN } from '../../auth/password-policy';
import { RegisterDto } from '../../auth/dto/auth.dto';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { canonicalTimeZone } from '../../common/time/time-zone';
import { checked, field, optional, problemsOf, validatedAll } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { CaptchaForms, wantsNewPicture } from './captcha-forms';
import { refusal, type Refusal } from './refusal';

const LABELS: Record<string, string> = {
  username: 'Username',
  email: 'Email',
  password: 'Password',
  displayName: 'Display name',
  acceptGuidelines: '',
};

/** What the sign-up form shows again after a refusal: everything typed except the password. */
interface Typed {
  username: string;
  email: string;
  displayName: string;
  acceptGuidelines: boolean;
  captchaKind?: 'image' | 'pow';
}

const EMPTY: Typed = { username: '', email: '', displayName: '', acceptGuidelines: false };

const PAGE = {
  islands: ['captcha'],
  description:
    'Join Haven, a calm and private peer support community for people living with metastatic breast cancer and those who care for them.',
};

const GUIDELINES = 'acceptGuidelines Please read and accept the community guidelines to join.';
/** The form's fields, top to bottom: the error summary lists its problems in this order. */
const ORDER = ['username', 'email', 'password', 'displayName', 'acceptGuidelines', 'captcha'];

/** The password is never sent back to the page: a refused sign-up says so, by the password field. */
const RETYPE = 'Please type your password again: for your safety it is not kept when the form comes back.';

/**
 * Joining Haven in a browser: the API's own account rules (RegisterDto, AuthService) and captcha, a session cookie
 * instead of tokens. A refusal shows the form again with what was typed (never the password) and a fresh captcha.
 */
@WebController()
export class SignUpController {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
    private readonly captcha: CaptchaForms,
  ) {}

  @Get('signup')
  @Page('account/signup', PAGE)
  async form(@Ip() ip: string, @CurrentUser() me?: Principal) {
    if (me) return redirect('/', 'You are already signed in.');
    return this.show(ip, EMPTY);
  }

  /** The session cookie is this page's own answer, so the reply is passed through for it. */
  @Cost(COSTS.register)
  @Post('signup')
  @HttpCode(200)
  @Page('account/signup', PAGE)
  async signUp(
    @Body() body: Record<string, unknown>,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() me?: Principal,
  ) {
    if (me) return redirect('/', 'You are already signed in.');
    const typed: Typed = {
      username: field(body, 'username'),
      email: field(body, 'email'),
      displayName: field(body, 'displayName'),
      acceptGuidelines: checked(body, 'acceptGuidelines'),
      captchaKind: this.captcha.kind(body),
    };
    if (wantsNewPicture(body)) return this.show(ip, { ...typed, captchaKind: 'image' });
    try {
      const input = await this.input(body, typed.acceptGuidelines);
      const started = await this.auth.registerForBrowser(input);
      this.session.start(reply.request, reply, started);
      // The same words whether or not the address had an account (then its owner was told instead).
      return redirect(
        '/',
        `Welcome to Haven, ${started.user.displayName}. We are glad you found us. ` +
          'We sent a link to your email address: please use it to confirm the address.',
      );
    } catch (err) {
      return this.show(ip, typed, refusal(err, LABELS, typed.captchaKind));
    }
  }

  /** The API's DTO, checked by its own rules, and the guidelines: every problem at once, in the form's order. */
  private input(body: unknown, acceptedGuidelines: boolean): Promise<RegisterDto> {
    const values = {
      username: field(body, 'username'),
      email: field(body, 'email'),
      password: field(body, 'password'),
      displayName: optional(body, 'displayName'),
      // Her browser's zone, filled in by the captcha island; a zone this server does not know is left out, not refused.
      timeZone: canonicalTimeZone(field(body, 'timeZone')),
      captcha: this.captcha.answer(body),
    };
    return validatedAll(RegisterDto, values, acceptedGuidelines ? [] : [GUIDELINES], ORDER);
  }

  private async show(ip: string, typed: Typed, refused?: Refusal) {
    const problem = refused && withRetype(refused);
    return view(
      'Join Haven',
      { form: typed, problem, captcha: await this.captcha.fresh(ip), passwordMin: PASSWORD_MIN },
      { status: problem?.status ?? 200, retryAfterSeconds: problem?.retryAfterSeconds },
    );
  }
}

/** A refused sign-up asks for the password again, by its field (its own problem's message gains the request). */
function withRetype(refused: Refusal): Refusal {
  const listed = problemsOf(refused);
  const own = listed.find((p) => p.field === 'password');
  const problems = own
    ? listed.map((p) => (p === own ? { ...p, message: `${p.message.replace(/\.?$/, '.')} ${RETYPE}` } : p))
    : [...listed, { field: 'password', message: RETYPE }];
  return { ...refused, problems };
}
