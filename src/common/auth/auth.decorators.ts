import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Role } from './role';
import type { Principal } from './principal';

export const PUBLIC_KEY = 'haven:public';
export const ROLE_KEY = 'haven:role';

/**
 * Anyone may call this route; a valid bearer token still makes the caller known (`@CurrentUser()` may be set).
 * The OpenAPI document learns it here too (`{}` in the route's security: guests allowed), see common/openapi.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiSecurity({}));

/** Only this role or a higher one (member < moderator < admin). Routes without `@Public()` need a member. */
export const Roles = (role: Role) => SetMetadata(ROLE_KEY, role);

type WithPrincipal = { principal?: Principal };

/** The signed-in caller; undefined on a public route called by a guest. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<WithPrincipal>().principal;
});

export function setPrincipal(request: unknown, principal: Principal): void {
  (request as WithPrincipal).principal = principal;
}
