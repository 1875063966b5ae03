import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * What one unsubscribe link stops: a `scope` named by the feature that sent the mail (`subscription`,
 * `email-preference`, `notice`) and an id that feature understands (a subscription's id, `userId:kind`, an
 * address hash; never an address). The link is signed, not stored: it works for as long as the thing it stops
 * exists, without signing in, and cannot be forged to stop someone else's mail.
 */
export interface UnsubscribeTarget {
  scope: string;
  id: string;
}

/** Stops the mail a link names; answers what a person should read ("You will no longer get ..."). */
export type UnsubscribeHandler = (id: string, manager: EntityManager) => Promise<string>;

@Injectable()
export class UnsubscribeLinks {
  private readonly key: Buffer;
  private readonly handlers = new Map<string, UnsubscribeHandler>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.key = createHmac('sha256', config.auth.jwtSecret).update('haven:mail:unsubscribe').digest();
  }

  /** Each feature that sends unsubscribable mail registers how to stop it (once, while the app starts). */
  register(scope: string, handler: UnsubscribeHandler): void {
    if (this.handlers.has(scope)) throw new Error(`Unsubscribe scope "${scope}" is registered twice`);
    this.handlers.set(scope, handler);
  }

  handlerFor(scope: string): UnsubscribeHandler | undefined {
    return this.handlers.get(scope);
  }

  /** Stops what the link names (again: a second click finds nothing more to stop and says the same). */
  async stop(token: string): Promise<string> {
    const target = this.read(token);
    const handler = target && this.handlers.get(target.scope);
    if (!target || !handler)
      throw new DomainError(
        'not_found',
        'This unsubscribe link is not valid; please use the link in your most recent email',
      );
    return this.dataSource.transaction((manager) => handler(target.id, manager));
  }

  token(target: UnsubscribeTarget): string {
    const payload = Buffer.from(`${target.scope}\n${target.id}`).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The one-click endpoint (RFC 8058: a POST from the mail client, no sign-in). */
  oneClickUrl(target: UnsubscribeTarget): string {
    return `${this.config.mail.publicUrl}/api/mail/unsubscribe/${this.token(target)}`;
  }

  /** The page a person reaches from the link in the mail's footer: it asks before stopping (scanners follow GETs). */
  pageUrl(target: UnsubscribeTarget): string {
    return `${this.config.mail.publicUrl}/unsubscribe/${this.token(target)}`;
  }

  /** The target a token names, or null when it is malformed or not ours. */
  read(token: string): UnsubscribeTarget | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || payload.length > 400) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const [scope, id, more] = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
    if (!scope || !id || more !== undefined) return null;
    return { scope, id };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 32);
  }
}
