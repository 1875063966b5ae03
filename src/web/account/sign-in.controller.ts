import { Get, HttpCode, Ip, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../../auth/auth.service';
import { LoginDto } from '../../auth/dto/auth.dto';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { Form, type Submitted } from '../core/form.pipe';
import { field, formProblem } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { safeLocalPath } from '../core/pages';
import { WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';

interface SignInForm {
  login: string;
  password: string;
  next: string;
}

const SIGN_IN_FORM = {
  dto: LoginDto,
  typed: (body: unknown): SignInForm => ({
    login: field(body, 'login'),
    password: field(body, 'password'),
    next: safeLocalPath(field(body, 'next')),
  }),
  values: (form: SignInForm) => ({ login: form.login, password: form.password }),
};

/** Signing in and out in a browser: the API's own checks and throttle, a session cookie instead of tokens. */
@WebController()
export class SignInController {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
  ) {}

  @Get('signin')
  @Page('account/signin')
  form(@Query('next') next?: string) {
    return view('Sign in', { next: safeLocalPath(next), login: '' });
  }

  /** The session cookie is this page's own answer, so the reply is passed through for it. */
  @Cost(COSTS.signIn)
  @Post('signin')
  @HttpCode(200)
  @Page('account/signin')
  async signIn(
    @Form(SIGN_IN_FORM) form: Submitted<SignInForm, LoginDto>,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { next, login } = form.typed;
    try {
      if (form.refusal) return view('Sign in', { next, login, error: form.refusal.message }, { status: 422 });
      const started = await this.auth.loginForBrowser(form.input as LoginDto, ip);
      this.session.start(reply.request, reply, started);
      return redirect(next, `Welcome back, ${started.user.displayName}.`);
    } catch (err) {
      const error =
        err instanceof Error && 'code' in err && err.code === 'unauthenticated' ? err.message : formProblem(err);
      return view('Sign in', { next, login, error }, { status: 422 });
    }
  }

  @Intent('sign-out')
  @Post('signout')
  async signOut(@Res({ passthrough: true }) reply: FastifyReply, @CurrentUser() me?: Principal) {
    if (me) await this.auth.logout(me, '');
    this.session.end(reply.request, reply);
    return redirect('/', 'You are signed out. Take care.');
  }
}
