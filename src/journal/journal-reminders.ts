import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import { Clock } from '../common/clock/clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import type { OutgoingMail } from '../mail/outbox';
import { MailOutbox } from '../mail/outbox';
import { UnsubscribeLinks } from '../mail/unsubscribe';
import { mayReceive, sanctionsOf } from '../notifications/notification-mail';
import { MailRecipients } from '../users/mail-recipients';
import { JournalService } from './journal.service';
import { JournalStore } from './journal.store';
import { nextReminderAt } from './reminder-time';

export const REMINDER_QUEUE = 'journal.reminders';
export const REMINDER_UNSUBSCRIBE_SCOPE = 'journal-reminder';
/** Reminders go at her hour: the run comes every quarter of an hour (zones a half or quarter hour off UTC too). */
const RUN_EVERY_MS = 15 * 60_000;
const BATCH = 200;

/**
 * The journal's optional reminder, daily or weekly at her hour in her zone, by mail. A run every quarter of an hour
 * (one across processes: its job id is derived from its time) takes the members whose `reminder_due_at` has come,
 * locked so that another run skips them, and in one transaction per batch queues each a mail (keyed by member and
 * moment, so a rerun never sends twice) and moves her due time to the next one. The mail says only "your journal":
 * never a symptom, a grade or a word she wrote. Her one-click unsubscribe stops the reminders.
 */
@Injectable()
export class JournalReminders implements OnApplicationBootstrap {
  private readonly logger = new Logger('JournalReminders');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly store: JournalStore,
    private readonly journal: JournalService,
    private readonly recipients: MailRecipients,
    private readonly outbox: MailOutbox,
    private readonly sanctions: ActiveSanctions,
    private readonly clock: Clock,
    links: UnsubscribeLinks,
  ) {
    jobs.define<{ at: string }>(
      REMINDER_QUEUE,
      { retryLimit: 3, retryDelaySeconds: 60, expireInSeconds: 600 },
      async () => {
        await this.scheduleNext();
        const sent = await this.run(this.clock.date());
        if (sent > 0) this.logger.log(`journal reminders: ${sent} queued`);
      },
    );
    links.register(REMINDER_UNSUBSCRIBE_SCOPE, async (userId, manager) => {
      await this.journal.stopReminders(userId, manager);
      return 'You will no longer get journal reminders. You can turn them on again in your journal settings.';
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleNext().catch((error: Error) => this.logger.warn(`journal reminder schedule: ${error.message}`));
  }

  /** The next quarter hour's run, once across every process. */
  async scheduleNext(): Promise<void> {
    const next = new Date(Math.floor(this.clock.now() / RUN_EVERY_MS) * RUN_EVERY_MS + RUN_EVERY_MS);
    const at = next.toISOString().slice(0, 16);
    await this.db.transaction((m) => this.jobs.send(m, REMINDER_QUEUE, { at }, next, `journal-reminders:${at}`));
  }

  /** Every reminder due at `now`; answers how many mails were queued. */
  async run(now: Date): Promise<number> {
    let queued = 0;
    for (;;) {
      const done = await this.db.transaction(async (m) => {
        const due = await this.store.dueReminders(m, now, BATCH);
        if (due.length === 0) return 0;
        const ids = due.map((d) => d.userId);
        const members = await this.recipients.of(ids, m);
        const sanctioned = await sanctionsOf(this.sanctions, m, ids);
        const mails: OutgoingMail[] = [];
        for (const d of due) {
          const member = members.get(d.userId);
          const settings = this.journal.openSettings(d.userId, d.payload);
          await this.store.setReminderDue(
            m,
            d.userId,
            nextReminderAt(settings.reminder, member?.timeZone ?? null, now),
          );
          if (!mayReceive(member, sanctioned.get(d.userId))) continue;
          mails.push({
            key: `journal-reminder:${d.userId}:${d.dueAt.toISOString()}`,
            to: member.email,
            userId: d.userId,
            kind: 'notification',
            unsubscribe: { scope: REMINDER_UNSUBSCRIBE_SCOPE, id: d.userId },
            content: {
              subject: 'Your journal',
              greeting: `Hello ${member.displayName},`,
              paragraphs: ['This is the reminder you asked for: a moment for your journal, whenever it suits you.'],
              action: { label: 'Open your journal', url: `${this.config.mail.publicUrl}/journal` },
              after: ['You can change or stop these reminders in your journal settings.'],
            },
          });
        }
        const outcomes = await this.outbox.queueMany(m, mails);
        queued += outcomes.filter((o) => o === 'queued').length;
        return due.length;
      });
      if (done < BATCH) return queued;
    }
  }
}
