import { Body, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../../auth/auth.service';
import { LoginDto } from '../../auth/dto/auth.dto';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { field, formProblem, validated } from '../core/forms';
import { Pages, safeLocalPath } from '../core/pages';
import { WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';

/** Signing in and out in a browser: the API's own checks and throttle, a session cookie instead of tokens. */
@WebController()
export class SignInController {
  constructor(
    private readonly pages: Pages,
    private readonly auth: AuthService,
    private readonly session: WebSession,
  ) {}

  @Get('signin')
  form(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    return this.pages.render(req, reply, 'account/signin', 'Sign in', { next: safeLocalPath(next), login: '' });
  }

  @Cost(COSTS.signIn)
  @Post('signin')
  @HttpCode(200)
  async signIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>) {
    const next = safeLocalPath(field(body, 'next'));
    try {
      const input = await validated(LoginDto, { login: field(body, 'login'), password: field(body, 'password') });
      const started = await this.auth.loginForBrowser(input, req.ip);
      this.session.start(req, reply, started);
      return this.pages.redirect(req, reply, next, `Welcome back, ${started.user.displayName}.`);
    } catch (err) {
      const error =
        err instanceof Error && 'code' in err && err.code === 'unauthenticated' ? err.message : formProblem(err);
      return this.pages.render(
        req,
        reply,
        'account/signin',
        'Sign in',
        { next, login: field(body, 'login'), error },
        {
          status: 422,
        },
      );
    }
  }

  @Intent('sign-out')
  @Post('signout')
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() me?: Principal) {
    if (me) await this.auth.logout(me, '');
    this.session.end(req, reply);
    return this.pages.redirect(req, reply, '/', 'You are signed out. Take care.');
  }
}
