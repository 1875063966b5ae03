import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { Clock } from '../common/clock/clock';
import type { MailItem } from '../common/mail-items';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { EmailPreferencesService } from '../email-preferences/email-preferences.service';
import { Jobs } from '../jobs/jobs';
import { MailOutbox } from '../mail/outbox';
import { mayReceive, sanctionsOf } from '../notifications/notification-mail';
import { type MailRecipient, MailRecipients } from '../users/mail-recipients';
import { latestDigest } from './digest-period';
import { DIGEST_ITEMS, digestMail } from './subscription-mail';
import { DIGEST_QUEUE, UNSUBSCRIBE_SCOPE } from './subscription.constants';
import { SubscriptionContent } from './subscription-content';
import { SubscriptionTargets } from './subscription-targets';
import { type SubscriptionRow, SubscriptionsStore } from './subscriptions.store';

const BATCH = 500;
/** Windows kept between subscribers of one run (places x windows): bounded, so memory stays flat. */
const CACHE_LIMIT = 2000;
const HOUR = 3600_000;

export interface DigestRunResult {
  scanned: number;
  queued: number;
  empty: number;
}

/**
 * Daily and weekly digests at 08:00 in each subscriber's time zone. An hourly job (one per hour across processes:
 * its id is derived from the hour) walks the confirmed digest subscriptions in keyset batches, and for each one
 * whose latest digest moment has not been sent, mails that window's items (read from the owners, published only,
 * nothing from members she blocks), keyed `digest:<frequency>:<period>:<subscription>` so that a rerun never sends
 * twice. A window with nothing new sends nothing.
 */
@Injectable()
export class DigestRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Digests');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly store: SubscriptionsStore,
    private readonly content: SubscriptionContent,
    private readonly targets: SubscriptionTargets,
    private readonly recipients: MailRecipients,
    private readonly outbox: MailOutbox,
    private readonly preferences: EmailPreferencesService,
    private readonly sanctions: ActiveSanctions,
    private readonly clock: Clock,
  ) {
    // `hour`: the hourly run; `at`: a run for a given moment, queued by an operator or a benchmark.
    jobs.define<{ hour?: string; at?: string }>(
      DIGEST_QUEUE,
      { retryLimit: 3, retryDelaySeconds: 60, expireInSeconds: 3000 },
      async (data) => {
        if (data.hour) {
          await this.scheduleNext();
          await this.store.purgeUnconfirmed(this.clock.date());
        }
        const at = data.at && Number.isFinite(Date.parse(data.at)) ? new Date(data.at) : this.clock.date();
        const result = await this.run(at);
        this.logger.log(`digests: ${result.queued} queued of ${result.scanned} subscriptions`);
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // A failure here (the database briefly away) is not fatal: the next start, or the running job, schedules it.
    await this.scheduleNext().catch((error: Error) => this.logger.warn(`digest schedule: ${error.message}`));
  }

  /** The next hour's run, once across every process (a second send of the same hour's id is dropped). */
  async scheduleNext(): Promise<void> {
    const next = new Date(Math.floor(this.clock.now() / HOUR) * HOUR + HOUR);
    const hour = next.toISOString().slice(0, 13);
    await this.db.transaction((m) => this.jobs.send(m, DIGEST_QUEUE, { hour }, next, `digest:${hour}`));
  }

  /** Every digest due at `now` that was not sent yet. */
  async run(now: Date): Promise<DigestRunResult> {
    const result: DigestRunResult = { scanned: 0, queued: 0, empty: 0 };
    const cache = new Map<string, Promise<MailItem[]>>();
    let after = '0';
    for (;;) {
      const batch = await this.store.digestBatch(after, BATCH);
      if (batch.length === 0) break;
      if (cache.size > CACHE_LIMIT) cache.clear();
      await this.runBatch(now, batch, cache, result);
      result.scanned += batch.length;
      after = batch[batch.length - 1].id;
    }
    return result;
  }

  private async runBatch(
    now: Date,
    batch: SubscriptionRow[],
    cache: Map<string, Promise<MailItem[]>>,
    result: DigestRunResult,
  ): Promise<void> {
    const memberIds = batch.flatMap((s) => (s.userId ? [s.userId] : []));
    const members = await this.recipients.of(memberIds);
    // A member who turned her digest email off (her email preferences) gets none, whatever she subscribed to.
    const choices = await this.preferences.frequencies(memberIds, 'digest');
    const sanctioned = await sanctionsOf(this.sanctions, this.db.manager, memberIds);
    const places = await this.placesOf(batch);
    const mails: Array<{ s: SubscriptionRow; to: string; period: string; items: MailItem[]; more: boolean }> = [];
    const marked = new Map<string, string[]>();
    for (const s of batch) {
      const member = s.userId ? members.get(s.userId) : undefined;
      const frequency = s.frequency as 'daily' | 'weekly';
      const due = latestDigest(now, member ? member.timeZone : s.timeZone, frequency);
      // Periods are dates (YYYY-MM-DD): one already sent, or a later one, means nothing is due.
      if (s.lastDigestPeriod && s.lastDigestPeriod >= due.period) continue;
      const ids = marked.get(due.period) ?? [];
      if (ids.length === 0) marked.set(due.period, ids);
      ids.push(s.id);
      if (s.userId && (!mayReceive(member, sanctioned.get(s.userId)) || choices.get(s.userId) === 'off')) continue;
      const from = new Date(Math.max(due.from.getTime(), s.confirmedAt?.getTime() ?? 0));
      if (from >= due.to) continue;
      const all = await this.windowOf(cache, s, from, due.to);
      const items = visibleTo(all, member);
      if (items.length === 0) {
        result.empty += 1;
        continue;
      }
      mails.push({
        s,
        to: member ? member.email : (s.address ?? ''),
        period: due.period,
        items,
        more: all.length > DIGEST_ITEMS,
      });
    }
    await this.db.transaction(async (m) => {
      const outcomes = await this.outbox.queueMany(
        m,
        mails.map(({ s, to, period, items, more }) => {
          const place = places.get(`${s.targetType}:${s.targetId}`) ?? { title: 'Haven', path: '/' };
          const frequency = s.frequency as 'daily' | 'weekly';
          return {
            key: `digest:${frequency}:${period}:${s.id}`,
            to,
            userId: s.userId,
            kind: 'digest' as const,
            content: digestMail(this.config.mail.publicUrl, frequency, place, items, more),
            unsubscribe: { scope: UNSUBSCRIBE_SCOPE, id: s.id },
          };
        }),
      );
      result.queued += outcomes.filter((o) => o === 'queued').length;
      for (const [period, ids] of marked) await this.store.markDigest(m, ids, period);
    });
  }

  private windowOf(cache: Map<string, Promise<MailItem[]>>, s: SubscriptionRow, from: Date, to: Date) {
    const key = `${s.targetType}:${s.targetId}:${from.getTime()}:${to.getTime()}`;
    let found = cache.get(key);
    if (!found) {
      found = this.content.window(s.targetType, s.targetId, from, to);
      cache.set(key, found);
    }
    return found;
  }

  private async placesOf(batch: SubscriptionRow[]) {
    const byType = new Map<SubscriptionRow['targetType'], Set<string>>();
    for (const s of batch) byType.set(s.targetType, (byType.get(s.targetType) ?? new Set()).add(s.targetId));
    const places = new Map<string, { title: string; path: string }>();
    for (const [type, ids] of byType) {
      for (const [id, p] of await this.targets.summaries(type, [...ids])) places.set(`${type}:${id}`, p);
    }
    return places;
  }
}

/** Nothing under the name of a member she blocks, and nothing she wrote herself. */
function visibleTo(items: MailItem[], member: MailRecipient | undefined): MailItem[] {
  if (!member) return items;
  return items.filter((i) => !i.authorId || (i.authorId !== member.id && !member.blocked.includes(i.authorId)));
}
