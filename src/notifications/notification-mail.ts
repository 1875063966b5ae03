import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ActiveSanctions, type SanctionColumns, toActiveSanction } from '../common/auth/active-sanctions';
import type { ActiveSanction } from '../common/auth/principal';
import { sanctionRefusal } from '../common/auth/sanction-policy';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { EmailPreferencesService } from '../email-preferences/email-preferences.service';
import { MailOutbox } from '../mail/outbox';
import { type MailRecipient, MailRecipients } from '../users/mail-recipients';
import { immediateMail, type MailableNotification, PREFERENCE_OF } from './notification-mail-content';
import type { NotificationKind } from './notification.constants';

/** Who gets which notification by mail now: the recipient, by `<member id>:<kind>` (`wantedKey`). */
export type WantedNow = Map<string, MailRecipient>;

const wantedKey = (n: { userId: string; kind: NotificationKind }) => `${n.userId}:${n.kind}`;

/**
 * Who may get mail about her notifications at all: a confirmed address, and an account the sanction policy lets
 * read (a suspended or banned member gets nothing; a silenced one still reads, so still hears).
 */
export function mayReceive(r: MailRecipient | undefined, sanction: ActiveSanction | undefined): r is MailRecipient {
  return !!r && r.confirmed && sanctionRefusal(sanction, 'read') === undefined;
}

/** The members' active sanctions, by id, through the reader moderation registers (no users row is read). */
export async function sanctionsOf(
  sanctions: ActiveSanctions,
  manager: EntityManager,
  ids: string[],
): Promise<Map<string, ActiveSanction>> {
  if (ids.length === 0) return new Map();
  const { join, columns } = sanctions.sql('ids.id');
  const rows = (await manager.query(
    `SELECT ids.id AS "userId", ${columns} FROM unnest($1::bigint[]) AS ids(id) ${join}`,
    [ids],
  )) as Array<SanctionColumns & { userId: string }>;
  const found = new Map<string, ActiveSanction>();
  for (const r of rows) {
    const sanction = toActiveSanction(r);
    if (sanction) found.set(r.userId, sanction);
  }
  return found;
}

/**
 * Mail for notifications that members want as they happen: queued in the transaction that stores the
 * notifications, one message per notification (`notify:<id>`), with a one-click unsubscribe that turns that kind
 * off. Crisis content (`mailable` false) and anything a member chose not to get by mail stay on the notifications
 * page only. Morning bundles are NotificationBundles' work.
 */
@Injectable()
export class NotificationMail {
  private readonly site: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: DataSource,
    private readonly outbox: MailOutbox,
    private readonly recipients: MailRecipients,
    private readonly preferences: EmailPreferencesService,
    private readonly sanctions: ActiveSanctions,
  ) {
    this.site = config.mail.publicUrl;
  }

  /**
   * Which of these notifications-to-be go out by mail as they happen, by member and kind: read before they are
   * stored, so that notifications no one gets by mail (most) are stored by one statement with no transaction.
   */
  async wantedNow(items: Array<{ userId: string; kind: NotificationKind; mailable?: boolean }>): Promise<WantedNow> {
    const wanted: WantedNow = new Map();
    const asked = items.filter((n) => n.mailable !== false);
    if (asked.length === 0) return wanted;
    const people = await this.recipients.of([...new Set(asked.map((n) => n.userId))]);
    // Only members with a confirmed address can get mail: the rest need no choices or sanctions read.
    const ids = [...people.values()].filter((p) => p.confirmed).map((p) => p.id);
    if (ids.length === 0) return wanted;
    const [choices, sanctioned] = await Promise.all([
      this.preferences.many(ids),
      sanctionsOf(this.sanctions, this.db.manager, ids),
    ]);
    for (const n of asked) {
      const person = people.get(n.userId);
      const kind = PREFERENCE_OF[n.kind];
      if (!mayReceive(person, sanctioned.get(n.userId)) || choices.get(n.userId)?.[kind] !== 'immediately') continue;
      wanted.set(wantedKey(n), person);
    }
    return wanted;
  }

  /** Queues the mail of stored notifications that `wantedNow` said go out now, in the transaction that stores them. */
  async queue(m: EntityManager, stored: MailableNotification[], wanted: WantedNow): Promise<void> {
    for (const n of stored) {
      const person = wanted.get(wantedKey(n));
      if (!person) continue;
      const kind = PREFERENCE_OF[n.kind];
      await this.outbox.queue(m, {
        key: `notify:${n.id}`,
        to: person.email,
        userId: person.id,
        kind: 'notification',
        content: immediateMail(n, person.displayName, this.site),
        unsubscribe: { scope: 'email-preference', id: `${person.id}:${kind}` },
      });
    }
  }
}
