import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../common/auth/principal';
import { forbidden } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { readCookie, setCookie } from './cookies';

/** A visitor's random id, to which their form tokens are bound until they sign in. */
export const VISITOR_COOKIE = 'haven_visitor';

/**
 * Cross-site request forgery: every form carries a token that is an HMAC of the browser's session (or, for a
 * visitor, of a random cookie of theirs). Another site can neither read it nor make one. The cookies are also
 * SameSite=Lax, and a request whose Origin is another site's is refused outright.
 */
@Injectable()
export class Csrf {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.auth.jwtSecret).update('haven:csrf').digest();
  }

  /** The token for this browser's forms; gives a visitor their random cookie if they have none yet. */
  tokenFor(request: FastifyRequest, reply: FastifyReply, principal: Principal | undefined): string {
    if (principal) return this.sign(`session:${principal.sessionId}`);
    let visitor = readCookie(request, VISITOR_COOKIE);
    if (!visitor || !/^[A-Za-z0-9_-]{22}$/.test(visitor)) {
      visitor = randomBytes(16).toString('base64url');
      setCookie(request, reply, VISITOR_COOKIE, visitor, { maxAgeSeconds: 30 * 86_400 });
      (request as { havenVisitor?: string }).havenVisitor = visitor;
    }
    return this.sign(`visitor:${visitor}`);
  }

  /** Refuses a state-changing request that did not come from one of our own pages. */
  verify(request: FastifyRequest, principal: Principal | undefined): void {
    const origin = request.headers.origin;
    if (origin && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== request.host) throw forbidden('This form was sent from another site, so it was not accepted');
    }
    const body = request.body as Record<string, unknown> | undefined;
    const given = request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (typeof given !== 'string') throw staleForm();
    const bindings = [];
    if (principal) bindings.push(`session:${principal.sessionId}`);
    const visitor = readCookie(request, VISITOR_COOKIE);
    if (visitor) bindings.push(`visitor:${visitor}`);
    if (!bindings.some((binding) => same(this.sign(binding), given))) throw staleForm();
  }

  private sign(binding: string): string {
    return createHmac('sha256', this.key).update(binding).digest('base64url');
  }
}

function staleForm() {
  return forbidden('This page was open too long or in another window; please go back, reload it and send again');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
