import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock/clock';
import { badInput, notFound } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor, type Page, pageLimit, type PageQueryDto } from '../common/pagination';
import { hashToken, newToken, TOKEN_PATTERN } from '../common/tokens/one-time-token';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { addressHash, normaliseAddress } from '../mail/address';
import { MailOutbox } from '../mail/outbox';
import { MailRecipients } from '../users/mail-recipients';
import type { SubscribeDto, SubscribedDto, SubscriptionDto } from './dto';
import { confirmationMail, FREQUENCY_WORDS } from './subscription-mail';
import {
  CONFIRM_TTL_MS,
  CONFIRMATIONS_PER_HOUR,
  type Frequency,
  RESEND_AFTER_MS,
  UNSUBSCRIBE_SCOPE,
} from './subscription.constants';
import { type ResolvedTarget, SubscriptionTargets } from './subscription-targets';
import { type SubscriptionRow, SubscriptionsStore } from './subscriptions.store';
import { validTimeZone } from '../common/time/wall-clock';

const PENDING: SubscribedDto = {
  status: 'pending',
  message: 'Please check your email: we sent a link to confirm. Nothing is sent until you follow it.',
};

/** Whose subscription: a member (her own address, when mail goes) or a guest's address. */
interface Subscriber {
  userId: string | null;
  address: string | null;
  /** Where the confirmation goes. */
  to: string;
  key: string;
  confirmed: boolean;
}

/**
 * "Get Email Updates": subscribe (double opt-in), confirm, list and end. The answer to a guest never says whether
 * the address was already subscribed: always 202 "check your email", and at most one confirmation an hour.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly store: SubscriptionsStore,
    private readonly targets: SubscriptionTargets,
    private readonly recipients: MailRecipients,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
  ) {}

  async subscribe(viewer: Principal | undefined, input: SubscribeDto): Promise<SubscribedDto> {
    if (viewer && input.email !== undefined) {
      throw badInput('email', 'is not taken from members: updates go to the address of your account');
    }
    if (!viewer && input.email === undefined) throw badInput('email', 'is required: where should updates go?');
    if (input.timeZone !== undefined && !validTimeZone(input.timeZone)) {
      throw badInput('timeZone', 'must be an IANA time zone such as Europe/London');
    }
    const target = await this.targets.resolve(input.target);
    if (target.type === 'newsletter' && input.frequency === 'immediately') {
      throw badInput('frequency', 'of the newsletter is daily or weekly');
    }
    const who = await this.subscriber(viewer, input.email);
    if (input.frequency === 'off') return this.stopFor(who, target);
    return this.db.transaction((m) => this.upsert(m, who, target, input.frequency as Frequency, input.timeZone));
  }

  async confirm(token: string): Promise<void> {
    if (!TOKEN_PATTERN.test(token)) throw badInput('token', 'is not a confirmation token');
    const id = await this.store.confirm(hashToken(token), this.clock.date());
    if (!id) throw badInput('token', 'is not valid any more: the link was used, or is older than 7 days');
  }

  async listMine(me: Principal, query: PageQueryDto): Promise<Page<SubscriptionDto>> {
    const limit = pageLimit(query);
    const before = decodeCursor(query.cursor, 'i')?.[0] as string | undefined;
    const rows = await this.store.ofMember(me.id, before, limit + 1);
    const page = rows.slice(0, limit);
    const items = await this.describe(page);
    return { items, nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].id]) : null };
  }

  async removeMine(me: Principal, id: string): Promise<void> {
    if (!(await this.store.remove(id, me.id))) throw notFound('Subscription');
  }

  /** The member's subscription to a place, if any (for the "Get Email Updates" boxes). */
  async mineFor(me: Principal, target: { type: string; key?: string }): Promise<SubscriptionRow | undefined> {
    const resolved = await this.targets.resolve(target);
    return this.store.memberTarget(me.id, resolved.type, resolved.place.id);
  }

  /** What an unsubscribe link stops, in words, before it is stopped (the unsubscribe page's question). */
  async describeOne(id: string): Promise<string | undefined> {
    const row = await this.store.get(id);
    return row && (await this.describe([row]))[0]?.title;
  }

  /** The unsubscribe link's handler: ends the subscription and says so. */
  async unsubscribe(id: string, m: EntityManager): Promise<string> {
    const row = await this.store.get(id, m);
    if (!row) return 'These email updates were already stopped. You will not get them any more.';
    const [described] = await this.describe([row]);
    await this.store.remove(id, undefined, m);
    return `You will no longer get email updates about “${described.title}”.`;
  }

  private async subscriber(viewer: Principal | undefined, email: string | undefined): Promise<Subscriber> {
    if (viewer) {
      const contact = (await this.recipients.of([viewer.id])).get(viewer.id);
      if (!contact) throw notFound('Member');
      return {
        userId: viewer.id,
        address: null,
        to: contact.email,
        key: `u:${viewer.id}`,
        confirmed: contact.confirmed,
      };
    }
    const address = normaliseAddress(email ?? '');
    const hash = addressHash(this.config.comments.ipHashSecret, address);
    return { userId: null, address, to: address, key: `a:${hash}`, confirmed: false };
  }

  private async upsert(
    m: EntityManager,
    who: Subscriber,
    target: ResolvedTarget,
    frequency: Frequency,
    timeZone: string | undefined,
  ): Promise<SubscribedDto> {
    const now = this.clock.date();
    const zone = who.userId ? null : (timeZone ?? null);
    const existing = await this.store.forUpdate(m, who.key, target.type, target.place.id);
    if (existing?.confirmedAt) {
      // Only a member (signed in) changes a confirmed subscription; a guest's repeat changes nothing.
      if (!who.userId) return PENDING;
      await this.store.setFrequency(m, existing.id, frequency, null);
      return { status: 'active', message: `You get ${FREQUENCY_WORDS[frequency]} email updates about this.` };
    }
    if (who.confirmed) {
      // A member whose own address is confirmed has proved it: subscribed at once, no link needed.
      if (existing) await this.store.activate(m, existing.id, frequency);
      else await this.store.insert(m, { ...this.fields(who, target, frequency, zone), confirmed: true });
      return { status: 'active', message: `You get ${FREQUENCY_WORDS[frequency]} email updates about this.` };
    }
    if (existing && existing.confirmSentAt && now.getTime() - existing.confirmSentAt.getTime() < RESEND_AFTER_MS) {
      return PENDING;
    }
    const hourAgo = new Date(now.getTime() - RESEND_AFTER_MS);
    if ((await this.store.confirmationsSince(m, who.key, hourAgo)) >= CONFIRMATIONS_PER_HOUR) return PENDING;
    const { token, hash } = newToken();
    const confirm = { hash, expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS), sentAt: now };
    let id: string | undefined = existing?.id;
    if (existing) await this.store.renewConfirmation(m, existing.id, confirm, frequency, zone);
    else id = await this.store.insert(m, { ...this.fields(who, target, frequency, zone), confirmed: false, confirm });
    if (!id) return PENDING; // a concurrent request subscribed the same address first; it sends the link
    await this.outbox.queue(m, {
      key: `subscription-confirm:${hash.slice(0, 32)}`,
      to: who.to,
      userId: who.userId,
      kind: 'subscription',
      content: confirmationMail(this.config.mail.publicUrl, token, target.place.title, frequency),
      unsubscribe: { scope: UNSUBSCRIBE_SCOPE, id },
    });
    return PENDING;
  }

  private fields(who: Subscriber, target: ResolvedTarget, frequency: Frequency, timeZone: string | null) {
    return {
      userId: who.userId,
      address: who.address,
      subscriber: who.key,
      targetType: target.type,
      targetId: target.place.id,
      frequency,
      timeZone,
    };
  }

  /** `off`: a member's subscription ends; a guest proves nothing by asking, so she uses the link in her mail. */
  private async stopFor(who: Subscriber, target: ResolvedTarget): Promise<SubscribedDto> {
    if (!who.userId) return PENDING;
    const row = await this.store.memberTarget(who.userId, target.type, target.place.id);
    if (row) await this.store.remove(row.id, who.userId);
    return { status: 'off', message: 'You will get no email updates about this.' };
  }

  private async describe(rows: SubscriptionRow[]): Promise<SubscriptionDto[]> {
    const byType = new Map<string, string[]>();
    for (const r of rows) byType.set(r.targetType, [...(byType.get(r.targetType) ?? []), r.targetId]);
    const places = new Map<string, { key: string; title: string; path: string }>();
    for (const [type, ids] of byType) {
      for (const [id, place] of await this.targets.summaries(type as SubscriptionRow['targetType'], ids)) {
        places.set(`${type}:${id}`, place);
      }
    }
    return rows.map((r) => {
      const place = places.get(`${r.targetType}:${r.targetId}`);
      return {
        id: r.id,
        target: { type: r.targetType, ...(place?.key ? { key: place.key } : {}) },
        title: place?.title ?? 'A place that is no longer there',
        url: `${this.config.mail.publicUrl}${place?.path ?? '/'}`,
        frequency: r.frequency,
        confirmed: r.confirmedAt !== null,
        createdAt: r.createdAt.toISOString(),
      };
    });
  }
}
