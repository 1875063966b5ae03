import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, type BrowserSession } from '../../auth/auth.service';
import type { Principal } from '../../common/auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { clearCookie, readCookie, setCookie } from './cookies';

export const SESSION_COOKIE = 'haven_session';

/** The browser's side of a session: one http-only cookie naming a server-side session row. */
@Injectable()
export class WebSession {
  constructor(private readonly auth: AuthService) {}

  /** The signed-in member, checked afresh; a dead cookie is cleared and the visitor is a guest. */
  async principal(request: FastifyRequest, reply: FastifyReply): Promise<Principal | undefined> {
    const cookie = readCookie(request, SESSION_COOKIE);
    if (!cookie) return undefined;
    try {
      return await this.auth.resolveBrowserSession(cookie);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'unauthenticated') {
        clearCookie(request, reply, SESSION_COOKIE);
        return undefined;
      }
      throw err;
    }
  }

  start(request: FastifyRequest, reply: FastifyReply, session: BrowserSession): void {
    const seconds = (session.expiresAt.getTime() - Date.now()) / 1000;
    setCookie(request, reply, SESSION_COOKIE, session.cookie, { maxAgeSeconds: seconds });
  }

  end(request: FastifyRequest, reply: FastifyReply): void {
    clearCookie(request, reply, SESSION_COOKIE);
  }
}
