import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import type { SqlParams } from '../common/sql/sql-params';
import { Clock } from '../common/clock/clock';
import type { MailItem } from '../common/mail-items';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import { MailOutbox } from '../mail/outbox';
import { mayReceive, sanctionsOf } from '../notifications/notification-mail';
import { type PublicationInStatement, Publications, type PublishedType } from '../publishing/publications';
import { MailRecipients } from '../users/mail-recipients';
import { newItemMail } from './subscription-mail';
import { FANOUT_QUEUE, UNSUBSCRIBE_SCOPE } from './subscription.constants';
import { SubscriptionContent } from './subscription-content';
import { placeKey, type SubscriptionRow, SubscriptionsStore } from './subscriptions.store';

interface FanoutJob {
  type: PublishedType;
  id: string;
  at: string;
}

const BATCH = 500;

/**
 * New content, as it is published: a durable job queued in the publishing transaction (so a crash loses nothing and
 * rolled-back content sends nothing) records it for digests and mails each confirmed `immediately` subscriber of
 * its place, in keyset batches. A reply, whose place its statement knows, is recorded there instead, and queues the
 * job only when its thread has such a subscriber. Held content is not published and content moderators were asked
 * to look at (flagged, crisis) is never carried; the job reads the content again, so what was hidden or deleted
 * meanwhile goes nowhere.
 */
@Injectable()
export class SubscriptionFanout implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly publications: Publications,
    private readonly content: SubscriptionContent,
    private readonly store: SubscriptionsStore,
    private readonly recipients: MailRecipients,
    private readonly outbox: MailOutbox,
    private readonly sanctions: ActiveSanctions,
    private readonly clock: Clock,
  ) {
    // Up to fifty jobs a fetch, worked together: every reply queues one, and most find nobody to mail at once, so
    // a batch takes one fetch, one read of its content, one write of its activity, one look for subscribers and one
    // completion, not those for each reply.
    jobs.defineBatch<FanoutJob>(
      FANOUT_QUEUE,
      { retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: 900, batchSize: 50 },
      (batch) => this.runBatch(batch),
    );
  }

  onModuleInit(): void {
    this.publications.listen((params, p) => this.onPublished(params, p));
  }

  /**
   * In the publishing write: the job, and when the writer knows the place (a reply's thread), the digest's record at
   * once and the job only if someone there is mailed at once. Most replies then leave no job at all.
   */
  private onPublished(params: SqlParams, p: PublicationInStatement): string[] {
    if (!p.mailable) return [];
    const at = this.clock.date();
    // The job's data as `send` would store { type, id, at }: the id as text, as the job reads it back.
    const data = `jsonb_build_object('type', ${params.add(p.type, 'text')}, 'id', (${p.idSql})::text,
      'at', ${params.add(at.toISOString(), 'text')})`;
    if (!p.place) return [this.jobs.sendSql(params, FANOUT_QUEUE, data)];
    const place = { typeSql: params.add(p.place.type, 'text'), idSql: p.place.idSql };
    return [
      this.store.recordActivitySql(params, {
        contentType: p.type,
        idSql: p.idSql,
        targetType: p.place.type,
        targetIdSql: place.idSql,
        at,
      }),
      this.jobs.sendSql(params, FANOUT_QUEUE, data, this.store.hasImmediateSql(place)),
    ];
  }

  /** New content of one fetch: recorded for digests, then mailed to the `immediately` subscribers of its places. */
  async runBatch(batch: FanoutJob[]): Promise<void> {
    const found: Array<{ job: FanoutJob; item: MailItem }> = [];
    for (const type of [...new Set(batch.map((j) => j.type))]) {
      const jobs = batch.filter((j) => j.type === type);
      const loaded = await this.content.load(
        type,
        jobs.map((j) => j.id),
      );
      const items = new Map(loaded.map((i) => [i.id, i]));
      for (const job of jobs) {
        const item = items.get(job.id);
        if (item) found.push({ job, item });
      }
    }
    // One statement: no transaction around it.
    await this.store.recordActivities(
      this.db.manager,
      found.map(({ job, item }) => ({
        contentType: job.type,
        contentId: job.id,
        targetType: item.target.type,
        targetId: item.target.id,
        at: new Date(job.at),
      })),
    );
    const followed = await this.store.placesWithImmediate(found.map(({ item }) => item.target));
    for (const { job, item } of found) {
      if (!followed.has(placeKey(item.target))) continue;
      let after = '0';
      for (;;) {
        const subscribers = await this.store.immediateBatch(item.target.type, item.target.id, after, BATCH);
        if (subscribers.length === 0) break;
        await this.send(job, item, subscribers);
        after = subscribers[subscribers.length - 1].id;
      }
    }
  }

  private async send(job: FanoutJob, item: MailItem, batch: SubscriptionRow[]): Promise<void> {
    const memberIds = batch.flatMap((s) => (s.userId ? [s.userId] : []));
    const members = await this.recipients.of(memberIds);
    const sanctioned = await sanctionsOf(this.sanctions, this.db.manager, memberIds);
    const content = newItemMail(this.config.mail.publicUrl, item);
    const mails = batch.flatMap((s) => {
      const member = s.userId ? members.get(s.userId) : undefined;
      // Members: the one rule of who gets mail (a confirmed address, an account the sanction policy lets read).
      if (s.userId && !mayReceive(member, sanctioned.get(s.userId))) return [];
      if (member && item.authorId && (item.authorId === member.id || member.blocked.includes(item.authorId))) return [];
      return [
        {
          key: `new:${job.type}:${job.id}:${s.id}`,
          to: member ? member.email : (s.address ?? ''),
          userId: s.userId,
          kind: 'subscription' as const,
          content,
          unsubscribe: { scope: UNSUBSCRIBE_SCOPE, id: s.id },
        },
      ];
    });
    await this.db.transaction((m) => this.outbox.queueMany(m, mails));
  }
}
