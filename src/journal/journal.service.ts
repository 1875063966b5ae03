import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { badInput, conflict, gone, notFound } from '../common/errors/domain-error';
import type { ExportRow } from '../common/member-data/member-data';
import { hashToken, newToken, TOKEN_PATTERN } from '../common/tokens/one-time-token';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { UsersService } from '../users/users.service';
import { callCareTeamReasons } from './call-care-team';
import type { EntryInputDto, SettingsPatchDto, ShareInputDto } from './dto/journal.dto';
import { JournalCrypto } from './journal-crypto';
import { addDays, dayIn, daysBetween, isDay } from './journal-days';
import { entryContent, inWords, toEntry } from './journal-entries';
import { summarise } from './journal-summary';
import { nextReminderAt } from './reminder-time';
import {
  DEFAULT_PERIOD_DAYS,
  DEFAULT_REMINDER_HOUR,
  FIRST_DAY,
  LIVE_SHARES_MAX,
  MAX_PERIOD_DAYS,
  SHARE_VIEWS_LISTED,
} from './journal.constants';
import { JournalStore, type SealedDay, type ShareRow, type ShareViewRow } from './journal.store';
import type {
  EntryContent,
  JournalEntry,
  JournalSettings,
  JournalShare,
  JournalSummary,
  PutResult,
  SharedJournal,
} from './journal.types';
import { namesCatalogued } from './symptoms';
import { viewerHint } from './viewer-hint';

export interface Period {
  from?: string;
  to?: string;
}

const NO_SETTINGS: JournalSettings = {
  careNumbers: [],
  ownSymptoms: [],
  medicines: [],
  reminder: { frequency: 'off', hour: DEFAULT_REMINDER_HOUR, weekday: 1 },
};

/** How far back "since my last appointment" looks, in days written. */
const APPOINTMENT_LOOKBACK = 400;

/**
 * A member's private symptom journal: her days (sealed at rest, journal-crypto.ts), what the charts and the
 * appointment page draw, her settings. Every method takes her own id: nobody else's journal is reachable through
 * it, and no staff route calls it. Share links live in journal-shares.ts.
 */
@Injectable()
export class JournalService {
  private readonly crypto: JournalCrypto;

  constructor(
    private readonly store: JournalStore,
    private readonly users: UsersService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.crypto = new JournalCrypto(config.journal.secret);
  }

  /** Her days in the period (default: the last two weeks), newest first. */
  async entries(userId: string, period: Period = {}): Promise<JournalEntry[]> {
    const { from, to } = await this.period(userId, period);
    return (await this.store.days(userId, from, to)).map((row) => this.open(userId, row));
  }

  /** One day, or null when she wrote nothing that day. */
  async entry(userId: string, date: string): Promise<JournalEntry | null> {
    if (!isDay(date)) throw badInput('date', 'must be a day written YYYY-MM-DD');
    const row = await this.store.day(userId, date);
    return row ? this.open(userId, row) : null;
  }

  /** Writes her day (replacing what it said); answers whether the day asks her to call her care team now. */
  async put(userId: string, date: string, input: EntryInputDto): Promise<PutResult> {
    await this.checkWritableDay(userId, date);
    const settings = await this.settings(userId);
    const content = entryContent(input, settings);
    const now = this.clock.date();
    const created = await this.store.putDay(userId, date, this.crypto.seal(entryContext(userId, date), content), now);
    const reasons = callCareTeamReasons(content);
    return {
      entry: toEntry(date, content, now),
      created,
      callCareTeam: reasons.length > 0,
      callReasons: reasons.map(inWords),
      careNumbers: reasons.length > 0 ? settings.careNumbers : [],
    };
  }

  /** One day, or 404 when she wrote nothing that day. */
  async requireEntry(userId: string, date: string): Promise<JournalEntry> {
    const entry = await this.entry(userId, date);
    if (!entry) throw notFound('Journal entry');
    return entry;
  }

  async remove(userId: string, date: string): Promise<void> {
    if (!isDay(date)) throw badInput('date', 'must be a day written YYYY-MM-DD');
    if (!(await this.store.removeDay(userId, date))) throw notFound('Journal entry');
  }

  /** What the charts and "Prepare for my appointment" draw from the period. */
  async summary(userId: string, period: Period & { since?: 'appointment' } = {}): Promise<JournalSummary> {
    if (period.since !== 'appointment') {
      const { from, to } = await this.period(userId, period);
      return this.summaryOf(userId, from, to);
    }
    const to = (await this.period(userId, { to: period.to })).to;
    const found = await this.lastAppointmentBefore(userId, to);
    // An appointment longer ago than the longest period counts as none (the default period, or hers).
    const since = found && daysBetween(found.date, to) < MAX_PERIOD_DAYS ? found : null;
    const { from } = await this.period(userId, { from: since?.date ?? period.from, to });
    return { ...(await this.summaryOf(userId, from, to)), since };
  }

  /** Her summary of a period already checked (a share's). */
  async summaryOf(userId: string, from: string, to: string, rows?: SealedDay[]): Promise<JournalSummary> {
    const days = rows ?? (await this.store.days(userId, from, to));
    return summarise(
      from,
      to,
      days.map((row) => ({ date: row.day, content: this.openContent(userId, row) })),
    );
  }

  /** Her latest appointment before `date` (for "since my last appointment"), or null. */
  async lastAppointmentBefore(userId: string, date: string): Promise<{ date: string; text: string } | null> {
    if (!isDay(date)) throw badInput('date', 'must be a day written YYYY-MM-DD');
    for (const row of await this.store.daysBefore(userId, date, APPOINTMENT_LOOKBACK)) {
      const content = this.openContent(userId, row);
      if (content.appointment) return { date: row.day, text: content.appointment };
    }
    return null;
  }

  /** Today in her time zone (UTC when she set none). */
  async today(userId: string): Promise<string> {
    const me = await this.users.getMe(userId);
    return dayIn(this.clock.date(), me.timeZone);
  }

  async settings(userId: string): Promise<JournalSettings> {
    return this.openSettings(userId, await this.store.settings(userId));
  }

  /** Her settings from their sealed row (none yet: the defaults). */
  openSettings(userId: string, sealed: Buffer | undefined): JournalSettings {
    if (!sealed) return NO_SETTINGS;
    return { ...NO_SETTINGS, ...this.crypto.open<JournalSettings>({ kind: 'settings', userId }, sealed) };
  }

  /** Her reminders stop (the mail's unsubscribe link), in the caller's transaction. */
  async stopReminders(userId: string, m: EntityManager): Promise<void> {
    const sealed = await this.store.settings(userId, m);
    if (!sealed) return;
    const settings = this.openSettings(userId, sealed);
    const next = { ...settings, reminder: { ...settings.reminder, frequency: 'off' as const } };
    await this.store.putSettings(
      userId,
      this.crypto.seal({ kind: 'settings', userId }, next),
      null,
      this.clock.date(),
      m,
    );
  }

  /** Each field given replaces hers. */
  async updateSettings(userId: string, patch: SettingsPatchDto): Promise<JournalSettings> {
    const current = await this.settings(userId);
    const ownSymptoms = patch.ownSymptoms ?? current.ownSymptoms;
    ownSymptoms.forEach((name, i) => {
      if (namesCatalogued(name)) {
        throw badInput(`ownSymptoms[${i}]`, 'is already in the list of symptoms: choose it there');
      }
    });
    if (new Set(ownSymptoms.map((s) => s.toLowerCase())).size !== ownSymptoms.length) {
      throw badInput('ownSymptoms', 'must not name a symptom twice');
    }
    const reminder = patch.reminder
      ? {
          frequency: patch.reminder.frequency,
          hour: patch.reminder.hour ?? current.reminder.hour,
          weekday: patch.reminder.weekday ?? current.reminder.weekday,
        }
      : current.reminder;
    const next: JournalSettings = {
      careNumbers: patch.careNumbers?.map((c) => ({ label: c.label, number: c.number.trim() })) ?? current.careNumbers,
      ownSymptoms,
      medicines: patch.medicines ? [...new Set(patch.medicines)] : current.medicines,
      reminder,
    };
    const now = this.clock.date();
    const due = nextReminderAt(reminder, (await this.users.getMe(userId)).timeZone, now);
    await this.store.putSettings(userId, this.crypto.seal({ kind: 'settings', userId }, next), due, now);
    return next;
  }

  /** A read-only link to one period of her journal, for `expiresInDays` days; the token is shown this once. */
  async createShare(
    userId: string,
    input: ShareInputDto,
  ): Promise<{ share: JournalShare; token: string; url: string }> {
    const { from, to } = await this.period(userId, { from: input.from, to: input.to });
    const now = this.clock.date();
    if ((await this.store.liveShareCount(userId, now)) >= LIVE_SHARES_MAX) {
      throw conflict(`You have ${LIVE_SHARES_MAX} links open already: stop one before making another`);
    }
    const { token, hash } = newToken();
    const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const row = await this.store.addShare(userId, hash, from, to, now, expiresAt);
    const url = `${this.config.mail.publicUrl}/journal/shared/${token}`;
    return { share: this.toShare(row, [], 0, now), token, url };
  }

  /** Her links, newest first, each with its latest views. */
  async shares(userId: string): Promise<JournalShare[]> {
    const rows = await this.store.shares(userId, 100);
    const { rows: views, counts } = await this.store.views(
      rows.map((r) => r.id),
      SHARE_VIEWS_LISTED,
    );
    const now = this.clock.date();
    return rows.map((r) =>
      this.toShare(
        r,
        views.filter((v) => v.shareId === r.id),
        counts.get(r.id) ?? 0,
        now,
      ),
    );
  }

  /** Stops a link at once (another member's id: 404). */
  async revokeShare(userId: string, id: string): Promise<void> {
    if (!(await this.store.share(userId, id))) throw notFound('Share');
    await this.store.revokeShare(userId, id, this.clock.date());
  }

  /**
   * What a link shows (its period only), logging the view for its member. Unknown: 404; expired or revoked: 410,
   * with nothing of the journal.
   */
  async shared(token: string, viewer: { userAgent?: string }): Promise<SharedJournal> {
    if (!TOKEN_PATTERN.test(token)) throw notFound('Shared journal');
    const share = await this.store.shareByHash(hashToken(token));
    if (!share) throw notFound('Shared journal');
    const now = this.clock.date();
    if (share.revokedAt) throw gone('This link was stopped by the person who shared it');
    if (share.expiresAt <= now) throw gone('This link has expired');
    const hint = viewerHint(viewer.userAgent);
    await this.store.addView(share.id, now, hint.browser, hint.device);
    const rows = await this.store.days(share.userId, share.from, share.to);
    const owner = await this.users.nameOf(share.userId);
    // Which days asked her to call her care team is never shared (call-care-team.ts).
    const summary = { ...(await this.summaryOf(share.userId, share.from, share.to, rows)), callDays: [] };
    return {
      from: share.from,
      to: share.to,
      ownerDisplayName: owner?.displayName ?? 'A Haven member',
      expiresAt: share.expiresAt.toISOString(),
      summary,
      entries: rows.map((row) => this.open(share.userId, row)),
    };
  }

  /** Her archive's part: every day, opened for her (keyset by day). */
  async exportBatch(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    const rows = await this.store.daysAfter(userId, after, limit);
    return rows.map((row) => ({ id: row.day, ...this.open(userId, row) }));
  }

  /** Her settings, opened for her archive. */
  async exportSettings(userId: string, after: string | null): Promise<ExportRow[]> {
    if (after || !(await this.store.settings(userId))) return [];
    return [{ id: userId, ...(await this.settings(userId)) }];
  }

  /** Every day she wrote, oldest first, in batches (the CSV export). */
  async *allDays(userId: string, batch = 500): AsyncGenerator<JournalEntry[]> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.store.daysAfter(userId, after, batch);
      if (rows.length === 0) return;
      yield rows.map((row) => this.open(userId, row));
      after = rows[rows.length - 1].day;
    }
  }

  /** The period asked for, checked: real days, `from` not after `to`, at most two years. */
  async period(userId: string, period: Period): Promise<{ from: string; to: string }> {
    for (const field of ['from', 'to'] as const) {
      const day = period[field];
      if (day !== undefined && !isDay(day)) throw badInput(field, 'must be a day written YYYY-MM-DD');
    }
    const to = period.to ?? (await this.today(userId));
    const from = period.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
    if (from > to) throw badInput('from', 'must not be after to');
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
      throw badInput('from', `must be at most ${MAX_PERIOD_DAYS} days before to`);
    return { from, to };
  }

  private async checkWritableDay(userId: string, date: string): Promise<void> {
    if (!isDay(date)) throw badInput('date', 'must be a day written YYYY-MM-DD');
    if (date < FIRST_DAY) throw badInput('date', `must be ${FIRST_DAY} or later`);
    if (date > (await this.today(userId))) throw badInput('date', 'must not be after today (in your time zone)');
  }

  private toShare(r: ShareRow, views: ShareViewRow[], viewCount: number, now: Date): JournalShare {
    return {
      id: r.id,
      from: r.from,
      to: r.to,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      status: r.revokedAt ? 'revoked' : r.expiresAt <= now ? 'expired' : 'live',
      views: views.map((v) => ({ at: v.viewedAt.toISOString(), browser: v.browser, device: v.device })),
      viewCount,
    };
  }

  private open(userId: string, row: SealedDay): JournalEntry {
    return toEntry(row.day, this.openContent(userId, row), row.updatedAt);
  }

  private openContent(userId: string, row: SealedDay): EntryContent {
    return this.crypto.open<EntryContent>(entryContext(userId, row.day), row.payload);
  }
}

const entryContext = (userId: string, date: string) => ({ kind: 'entry' as const, userId, date });
