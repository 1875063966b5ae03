import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_KEY, setPrincipal } from '../../common/auth/auth.decorators';
import { intentOf } from '../../common/auth/intent';
import { hasRole, type Principal } from '../../common/auth/principal';
import { sanctionRefusal } from '../../common/auth/sanction-policy';
import { forbidden, unauthenticated } from '../../common/errors/domain-error';
import { RequestBudget } from '../../common/rate-limit/request-budget';
import type { Role } from '../../common/auth/role';
import { Csrf } from './csrf';
import { WebSession } from './web-session';

export const MEMBERS_ONLY_KEY = 'haven:web-members-only';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may see or do what on a web page, in one place: the session cookie makes the member known (afresh on every
 * request), state-changing requests need our own form's CSRF token, sanctions apply as they do on the API, and
 * `@MembersOnly()` / `@Roles()` raise the bar (a guest is sent to sign in, then back).
 */
@Injectable()
export class WebGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly session: WebSession,
    private readonly csrf: Csrf,
    private readonly budget: RequestBudget,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    const targets = [context.getHandler(), context.getClass()];
    const role = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets);
    const membersOnly = this.reflector.getAllAndOverride<boolean | undefined>(MEMBERS_ONLY_KEY, targets) ?? false;

    // The page's own cookie decides, never a bearer token a script might add.
    request.principal = undefined;
    const principal = await this.session.principal(request, reply);
    if (principal) setPrincipal(request, principal);

    if (!SAFE.has(request.method)) this.csrf.verify(request, principal);
    if ((membersOnly || role) && !principal) throw unauthenticated('Please sign in to see this page');
    if (principal) {
      const refusal = sanctionRefusal(principal.sanction, intentOf(this.reflector, context, request.method));
      if (refusal) throw refusal;
    }
    if (role && principal && !hasRole(principal, role))
      throw forbidden(`Only ${role === 'admin' ? 'an admin' : 'a moderator'} may see this page`);
    await this.budget.charge(context);
    return true;
  }
}
