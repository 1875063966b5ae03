import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DEFAULT_EMAIL_PREFERENCES,
  EMAIL_PREFERENCE_KINDS,
  type EmailFrequency,
  type EmailPreferenceKind,
  type EmailPreferences,
} from './email-preferences.constants';
import { UsersService } from '../users/users.service';

const COLUMNS = EMAIL_PREFERENCE_KINDS.map((k) => `"${k}"`).join(', ');

/**
 * How often each member wants each kind of mail. The one place that reads or writes `email_preferences`: the
 * settings (API and page), the sending features (`frequency`, `frequencies`) and the unsubscribe link that turns
 * one kind off. A member without a row has the defaults.
 */
@Injectable()
export class EmailPreferencesService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  async get(userId: string, manager: EntityManager = this.db.manager): Promise<EmailPreferences> {
    return (await this.frequenciesAll([userId], manager)).get(userId) ?? { ...DEFAULT_EMAIL_PREFERENCES };
  }

  /** Changes the kinds given (the others stay), and answers all four. */
  async update(userId: string, changes: Partial<EmailPreferences>): Promise<EmailPreferences> {
    return this.db.transaction(async (m) => {
      await this.write(m, userId, changes);
      return this.get(userId, m);
    });
  }

  /** How often this member wants this kind (in the caller's transaction, when given). */
  async frequency(userId: string, kind: EmailPreferenceKind, manager?: EntityManager): Promise<EmailFrequency> {
    return (await this.get(userId, manager))[kind];
  }

  /** All four kinds for many members at once: every id asked gets an answer, the defaults when she chose none. */
  async many(userIds: string[], manager: EntityManager = this.db.manager): Promise<Map<string, EmailPreferences>> {
    const all = await this.frequenciesAll(userIds, manager);
    return new Map(userIds.map((id) => [id, all.get(id) ?? { ...DEFAULT_EMAIL_PREFERENCES }]));
  }

  /** One kind for many members at once (digests): every id asked gets an answer, the default when she chose none. */
  async frequencies(
    userIds: string[],
    kind: EmailPreferenceKind,
    manager: EntityManager = this.db.manager,
  ): Promise<Map<string, EmailFrequency>> {
    const all = await this.frequenciesAll(userIds, manager);
    return new Map(userIds.map((id) => [id, (all.get(id) ?? DEFAULT_EMAIL_PREFERENCES)[kind]]));
  }

  /** The unsubscribe link's effect: this kind goes quiet (in the link's transaction). False: no such member. */
  async turnOff(manager: EntityManager, userId: string, kind: EmailPreferenceKind): Promise<boolean> {
    // A link outlives its member: once the account is gone there is nothing left to stop.
    if ((await this.users.nameOf(userId)) === null) return false;
    await this.write(manager, userId, { [kind]: 'off' });
    return true;
  }

  private async write(m: EntityManager, userId: string, changes: Partial<EmailPreferences>): Promise<void> {
    const kinds = EMAIL_PREFERENCE_KINDS.filter((k) => changes[k] !== undefined);
    if (kinds.length === 0) return;
    const values = kinds.map((k) => changes[k]);
    await m.query(
      `INSERT INTO email_preferences (user_id, ${kinds.map((k) => `"${k}"`).join(', ')})
       VALUES ($1, ${kinds.map((_, i) => `$${i + 2}`).join(', ')})
       ON CONFLICT (user_id) DO UPDATE SET ${kinds.map((k) => `"${k}" = EXCLUDED."${k}"`).join(', ')}, updated_at = now()`,
      [userId, ...values],
    );
  }

  private async frequenciesAll(userIds: string[], manager: EntityManager): Promise<Map<string, EmailPreferences>> {
    if (userIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT user_id AS "userId", ${COLUMNS} FROM email_preferences WHERE user_id = ANY($1::bigint[])`,
      [userIds],
    )) as Array<EmailPreferences & { userId: string }>;
    return new Map(rows.map(({ userId, ...prefs }) => [userId, prefs]));
  }
}
