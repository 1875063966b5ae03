import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from './role';
import { DomainError, forbidden, unauthenticated } from '../errors/domain-error';
import { PUBLIC_KEY, ROLE_KEY, setPrincipal } from './auth.decorators';
import { intentOf } from './intent';
import { sanctionRefusal } from './sanction-policy';
import { hasRole, PRINCIPAL_RESOLVER, type PrincipalResolver } from './principal';

/**
 * Every route needs a signed-in member unless marked `@Public()`; `@Roles()` raises the bar. The principal is
 * resolved afresh on every request, so revoked sessions and role changes count at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const role = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    let token: string | undefined;
    try {
      token = bearerToken(request);
    } catch (err) {
      if (isPublic) return true;
      throw err;
    }
    if (!token) {
      if (isPublic) return true;
      throw unauthenticated();
    }
    try {
      const principal = await this.principals.resolve(token);
      const refusal = sanctionRefusal(principal.sanction, intentOf(this.reflector, context, request.method));
      if (refusal) throw refusal;
      setPrincipal(request, principal);
      if (role && !hasRole(principal, role)) throw forbidden(`Only a ${role} may do this`);
      return true;
    } catch (err) {
      // A guest view is fine on a public route even with a stale token; anything else is refused.
      if (isPublic && err instanceof DomainError && err.code === 'unauthenticated') return true;
      throw err;
    }
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <accessToken>"');
  return match[1];
}
