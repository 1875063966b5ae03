import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { Clock } from '../common/clock/clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { EmailPreferenceKind, EmailPreferences } from '../email-preferences/email-preferences.constants';
import { EmailPreferencesService } from '../email-preferences/email-preferences.service';
import { Jobs } from '../jobs/jobs';
import { MailOutbox } from '../mail/outbox';
import { ContentRegistry } from '../publishing/content-registry';
import { type MailRecipient, MailRecipients } from '../users/mail-recipients';
import { UsersService } from '../users/users.service';
import { bundleMail, type MailableNotification, PREFERENCE_OF } from './notification-mail-content';
import { mayReceive, sanctionsOf } from './notification-mail';

const QUEUE = 'notifications.bundles';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Bundles go at this hour of the member's own morning (her time zone; none: UTC); weekly ones on Mondays. */
export const BUNDLE_HOUR = 8;

interface LocalTime {
  date: string;
  hour: number;
  monday: boolean;
}

/**
 * Daily and weekly bundles of notifications. A durable job runs at the top of every hour (each run first queues the
 * next one, named by its hour, so restarts and several processes keep exactly one chain); `run(at)` mails every
 * member for whom `at` is 08:00 and who chose `daily` (or, on Mondays, `weekly`) for some kind: the notifications of
 * those kinds from that period that she has not read yet, one mail per member and morning
 * (`notify:bundle:<her date>:<id>`). At the moment of sending it leaves out what is no longer published, and what
 * members she blocks have written since.
 */
@Injectable()
export class NotificationBundles implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationBundles.name);
  private readonly site: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
    private readonly recipients: MailRecipients,
    private readonly preferences: EmailPreferencesService,
    private readonly users: UsersService,
    private readonly registry: ContentRegistry,
    private readonly sanctions: ActiveSanctions,
  ) {
    this.site = config.mail.publicUrl;
    jobs.define<{ hour: string }>(
      QUEUE,
      { retryLimit: 6, retryDelaySeconds: 60, expireInSeconds: 900 },
      async ({ hour }) => {
        const at = new Date(hour);
        await this.schedule(new Date(at.getTime() + HOUR_MS));
        await this.run(at);
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule(new Date(Math.floor(this.clock.now() / HOUR_MS) * HOUR_MS + HOUR_MS));
  }

  /** Mails the bundles due at `at` (the top of an hour); answers how many were queued. */
  async run(at: Date): Promise<number> {
    const due = await this.dueMembers(at);
    let queued = 0;
    for (const { person, kinds } of due) {
      try {
        if (await this.bundle(at, person, kinds)) queued += 1;
      } catch (err) {
        this.logger.warn(`bundle for member ${person.id}: ${(err as Error).message}`);
      }
    }
    return queued;
  }

  private async schedule(at: Date): Promise<void> {
    const hour = at.toISOString();
    await this.db.transaction((m) => this.jobs.send(m, QUEUE, { hour }, at, hour));
  }

  /** Members with unread mail-able notifications this week for whom `at` is their bundle hour, and which kinds. */
  private async dueMembers(at: Date) {
    const rows = (await this.db.query(
      `SELECT DISTINCT user_id AS "userId" FROM notifications
        WHERE read_at IS NULL AND mailable AND created_at >= $1 AND created_at < $2`,
      [new Date(at.getTime() - 7 * DAY_MS), at],
    )) as Array<{ userId: string }>;
    const ids = rows.map((r) => r.userId);
    const people = await this.recipients.of(ids);
    const choices = await this.preferences.many(ids);
    const sanctioned = await sanctionsOf(this.sanctions, this.db.manager, ids);
    const due: Array<{ person: MailRecipient; kinds: Map<EmailPreferenceKind, 'daily' | 'weekly'> }> = [];
    for (const id of ids) {
      const person = people.get(id);
      if (!mayReceive(person, sanctioned.get(id))) continue;
      const local = localTime(at, person.timeZone);
      if (local.hour !== BUNDLE_HOUR) continue;
      const kinds = kindsDue(choices.get(id), local.monday);
      if (kinds.size > 0) due.push({ person, kinds });
    }
    return due;
  }

  private async bundle(
    at: Date,
    person: MailRecipient,
    kinds: Map<EmailPreferenceKind, 'daily' | 'weekly'>,
  ): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT id, user_id AS "userId", kind, data, created_at AS "createdAt" FROM notifications
        WHERE user_id = $1 AND read_at IS NULL AND mailable AND created_at >= $2 AND created_at < $3
        ORDER BY id DESC`,
      [person.id, new Date(at.getTime() - 7 * DAY_MS), at],
    )) as MailableNotification[];
    const inPeriod = rows.filter((n) => {
      const period = kinds.get(PREFERENCE_OF[n.kind]);
      const from = at.getTime() - (period === 'weekly' ? 7 * DAY_MS : DAY_MS);
      return period !== undefined && n.createdAt.getTime() >= from;
    });
    const items = await this.stillShown(person.id, inPeriod);
    if (items.length === 0) return false;
    const included = [...new Set(items.map((n) => PREFERENCE_OF[n.kind]))].sort();
    const periods = new Set(included.map((k) => kinds.get(k)));
    const period = periods.size > 1 ? 'both' : periods.has('weekly') ? 'weekly' : 'daily';
    const outcome = await this.db.transaction((m) =>
      this.outbox.queue(m, {
        key: `notify:bundle:${localTime(at, person.timeZone).date}:${person.id}`,
        to: person.email,
        userId: person.id,
        kind: 'notification',
        content: bundleMail(items, person.displayName, this.site, period),
        unsubscribe: { scope: 'email-preference', id: `${person.id}:${included.join('+')}` },
      }),
    );
    return outcome === 'queued';
  }

  /** Leaves out posts no longer published (hidden, deleted since) and authors she has blocked since. */
  private async stillShown(userId: string, items: MailableNotification[]): Promise<MailableNotification[]> {
    if (items.length === 0) return items;
    const postIds = [
      ...new Set(
        items.flatMap((n) => (n.kind !== 'moderation' && typeof n.data.postId === 'string' ? [n.data.postId] : [])),
      ),
    ];
    const [posts, blocked] = await Promise.all([
      postIds.length ? this.registry.get('post').loadMany(postIds) : Promise.resolve([]),
      this.users.listBlocked(userId),
    ]);
    const published = new Set(posts.filter((p) => p.status === 'published').map((p) => p.targetId));
    const blockedNames = new Set(blocked.map((b) => b.username));
    return items.filter((n) => {
      if (n.kind === 'moderation') return true;
      const by = (n.data.by as { username?: unknown } | undefined)?.username;
      if (typeof by === 'string' && blockedNames.has(by)) return false;
      return typeof n.data.postId === 'string' && published.has(n.data.postId);
    });
  }
}

/** The kinds whose bundle is due this morning: daily ones every day, weekly ones on Mondays. */
function kindsDue(
  choices: EmailPreferences | undefined,
  monday: boolean,
): Map<EmailPreferenceKind, 'daily' | 'weekly'> {
  const due = new Map<EmailPreferenceKind, 'daily' | 'weekly'>();
  for (const kind of Object.values(PREFERENCE_OF)) {
    const choice = choices?.[kind];
    if (choice === 'daily' || (choice === 'weekly' && monday)) due.set(kind, choice);
  }
  return due;
}

/** Her calendar date, hour and weekday at `at` (an unknown zone counts as UTC). */
export function localTime(at: Date, zone: string | null): LocalTime {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone ?? 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    }).formatToParts(at);
  } catch {
    return localTime(at, null);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    hour: Number(part('hour')),
    monday: part('weekday') === 'Mon',
  };
}
