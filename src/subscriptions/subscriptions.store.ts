import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SqlParams } from '../common/sql/sql-params';
import type { Frequency, TargetType } from './subscription.constants';

export interface SubscriptionRow {
  id: string;
  userId: string | null;
  address: string | null;
  targetType: TargetType;
  targetId: string;
  frequency: Frequency;
  timeZone: string | null;
  confirmedAt: Date | null;
  confirmSentAt: Date | null;
  lastDigestPeriod: string | null;
  createdAt: Date;
}

const COLUMNS = `id, user_id AS "userId", address, target_type AS "targetType", target_id AS "targetId", frequency,
  time_zone AS "timeZone", confirmed_at AS "confirmedAt", confirm_sent_at AS "confirmSentAt",
  last_digest_period AS "lastDigestPeriod", created_at AS "createdAt"`;

export interface NewSubscription {
  userId: string | null;
  address: string | null;
  subscriber: string;
  targetType: TargetType;
  targetId: string;
  frequency: Frequency;
  timeZone: string | null;
  confirmed: boolean;
  confirm?: { hash: string; expiresAt: Date; sentAt: Date };
}

/** A confirmed subscription that mails each new item at once (`s` is the subscriptions row). */
const IMMEDIATE = `s.frequency = 'immediately' AND s.confirmed_at IS NOT NULL`;

/** A place as one string (`thread:12`): the keys of `placesWithImmediate`'s answer. */
export const placeKey = (place: { type: string; id: string }) => `${place.type}:${place.id}`;

const ACTIVITY_COLUMNS = 'content_type, content_id, target_type, target_id, published_at';

/** The subscriptions feature's SQL: its two tables, nobody else's. */
@Injectable()
export class SubscriptionsStore {
  constructor(private readonly db: DataSource) {}

  /** The subscriber's row for a place, locked for the caller's transaction. */
  async forUpdate(m: EntityManager, subscriber: string, type: TargetType, targetId: string) {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM subscriptions WHERE subscriber = $1 AND target_type = $2 AND target_id = $3 FOR UPDATE`,
      [subscriber, type, targetId],
    )) as SubscriptionRow[];
    return rows[0];
  }

  /** Inserts, or answers undefined when a concurrent request inserted the same subscription first. */
  async insert(m: EntityManager, s: NewSubscription): Promise<string | undefined> {
    const rows = (await m.query(
      `INSERT INTO subscriptions (user_id, address, subscriber, target_type, target_id, frequency, time_zone,
                                  confirmed_at, confirm_hash, confirm_expires_at, confirm_sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        s.userId,
        s.address,
        s.subscriber,
        s.targetType,
        s.targetId,
        s.frequency,
        s.timeZone,
        s.confirmed,
        s.confirm?.hash ?? null,
        s.confirm?.expiresAt ?? null,
        s.confirm?.sentAt ?? null,
      ],
    )) as Array<{ id: string }>;
    return rows[0]?.id;
  }

  async setFrequency(m: EntityManager, id: string, frequency: Frequency, timeZone: string | null): Promise<void> {
    await m.query(`UPDATE subscriptions SET frequency = $2, time_zone = COALESCE($3, time_zone) WHERE id = $1`, [
      id,
      frequency,
      timeZone,
    ]);
  }

  /** A waiting subscription confirmed without a link (a member whose own address is confirmed). */
  async activate(m: EntityManager, id: string, frequency: Frequency): Promise<void> {
    await m.query(
      `UPDATE subscriptions SET confirmed_at = now(), confirm_hash = NULL, confirm_expires_at = NULL, frequency = $2
        WHERE id = $1`,
      [id, frequency],
    );
  }

  /** Confirmation links sent to one subscriber (any place) since `since`: a cap against mail bombing an address. */
  async confirmationsSince(m: EntityManager, subscriber: string, since: Date): Promise<number> {
    const rows = (await m.query(
      `SELECT count(*)::int AS n FROM subscriptions WHERE subscriber = $1 AND confirm_sent_at > $2`,
      [subscriber, since],
    )) as Array<{ n: number }>;
    return rows[0].n;
  }

  /** Subscriptions never confirmed, a day after their link expired: a guest's address is not kept for nothing. */
  async purgeUnconfirmed(now: Date): Promise<number> {
    const rows = (await this.db.query(
      `DELETE FROM subscriptions WHERE confirmed_at IS NULL AND confirm_expires_at < $1::timestamptz - interval '1 day'`,
      [now],
    )) as [unknown[], number];
    return rows[1];
  }

  /** A new confirmation link for a waiting subscription (the old one stops working). */
  async renewConfirmation(
    m: EntityManager,
    id: string,
    c: { hash: string; expiresAt: Date; sentAt: Date },
    frequency: Frequency,
    timeZone: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE subscriptions SET confirm_hash = $2, confirm_expires_at = $3, confirm_sent_at = $4, frequency = $5,
              time_zone = COALESCE($6, time_zone) WHERE id = $1 AND confirmed_at IS NULL`,
      [id, c.hash, c.expiresAt, c.sentAt, frequency, timeZone],
    );
  }

  /** Confirms by the token's hash while the link is valid: the subscription's id, or undefined. */
  async confirm(hash: string, now: Date): Promise<string | undefined> {
    const rows = (await this.db.query(
      `UPDATE subscriptions SET confirmed_at = $2, confirm_hash = NULL, confirm_expires_at = NULL
        WHERE confirm_hash = $1 AND confirm_expires_at > $2 RETURNING id`,
      [hash, now],
    )) as [Array<{ id: string }>, number];
    return rows[0][0]?.id;
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<SubscriptionRow | undefined> {
    const rows = (await m.query(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id])) as SubscriptionRow[];
    return rows[0];
  }

  /** A member's subscriptions, newest first, keyset by id. */
  async ofMember(userId: string, beforeId: string | undefined, limit: number): Promise<SubscriptionRow[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM subscriptions WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [userId, beforeId ?? null, limit],
    )) as SubscriptionRow[];
  }

  async memberTarget(userId: string, type: TargetType, targetId: string): Promise<SubscriptionRow | undefined> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM subscriptions WHERE user_id = $1 AND target_type = $2 AND target_id = $3`,
      [userId, type, targetId],
    )) as SubscriptionRow[];
    return rows[0];
  }

  /** Deletes one (only the member's own, when `userId` is given); true when there was one. */
  async remove(id: string, userId?: string, m: EntityManager = this.db.manager): Promise<boolean> {
    const rows = (await m.query(
      `DELETE FROM subscriptions WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2) RETURNING id`,
      [id, userId ?? null],
    )) as [unknown[], number];
    return rows[0].length > 0;
  }

  /** Confirmed `immediately` subscribers of a place after `afterId`, in id order (keyset batches). */
  async immediateBatch(type: TargetType, targetId: string, afterId: string, limit: number) {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM subscriptions s
        WHERE target_type = $1 AND target_id = $2 AND ${IMMEDIATE} AND id > $3 ORDER BY id LIMIT $4`,
      [type, targetId, afterId, limit],
    )) as SubscriptionRow[];
  }

  /** Confirmed digest subscriptions after `afterId`, in id order (keyset batches over the whole table). */
  async digestBatch(afterId: string, limit: number): Promise<SubscriptionRow[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM subscriptions
        WHERE id > $1 AND frequency IN ('daily', 'weekly') AND confirmed_at IS NOT NULL ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as SubscriptionRow[];
  }

  async markDigest(m: EntityManager, ids: string[], period: string): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE subscriptions SET last_digest_period = $2 WHERE id = ANY($1::bigint[])`, [ids, period]);
  }

  /**
   * Of these places, those with at least one confirmed `immediately` subscription, as `<type>:<id>` (one read for
   * a batch of new content: most places have none, and their content needs no more).
   */
  async placesWithImmediate(places: Array<{ type: TargetType; id: string }>): Promise<Set<string>> {
    if (places.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT DISTINCT s.target_type AS type, s.target_id::text AS id
         FROM unnest($1::text[], $2::bigint[]) AS p(type, id)
         JOIN subscriptions s ON s.target_type = p.type AND s.target_id = p.id
        WHERE ${IMMEDIATE}`,
      [places.map((p) => p.type), places.map((p) => p.id)],
    )) as Array<{ type: string; id: string }>;
    return new Set(rows.map((r) => placeKey(r)));
  }

  /**
   * Whether a place has a confirmed `immediately` subscriber: a condition for another statement, where the place's
   * type and id are SQL.
   */
  hasImmediateSql(place: { typeSql: string; idSql: string }): string {
    return `EXISTS (SELECT 1 FROM subscriptions s WHERE s.target_type = ${place.typeSql} AND s.target_id = ${place.idSql}
                       AND ${IMMEDIATE})`;
  }

  /** `recordActivities` for one item, as a data-modifying statement for another (the content's own write). */
  recordActivitySql(
    params: SqlParams,
    a: { contentType: string; idSql: string; targetType: TargetType; targetIdSql: string; at: Date },
  ): string {
    return `INSERT INTO subscription_activity (${ACTIVITY_COLUMNS})
      SELECT ${params.add(a.contentType, 'text')}, (${a.idSql}), ${params.add(a.targetType, 'text')}, ${a.targetIdSql},
             ${params.add(a.at, 'timestamptz')}
      ON CONFLICT DO NOTHING`;
  }

  /** Records new content under its place, once each (a restore after a hide adds nothing), in one statement. */
  async recordActivities(
    m: EntityManager,
    items: Array<{ contentType: string; contentId: string; targetType: string; targetId: string; at: Date }>,
  ): Promise<void> {
    if (items.length === 0) return;
    await m.query(
      `INSERT INTO subscription_activity (${ACTIVITY_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        items.map((a) => a.contentType),
        items.map((a) => a.contentId),
        items.map((a) => a.targetType),
        items.map((a) => a.targetId),
        items.map((a) => a.at),
      ],
    );
  }

  /** Content ids published in a place within [from, to), oldest first. */
  async activity(targetType: string, targetId: string, from: Date, to: Date, limit: number) {
    return (await this.db.query(
      `SELECT content_type AS "contentType", content_id AS "contentId" FROM subscription_activity
        WHERE target_type = $1 AND target_id = $2 AND published_at >= $3 AND published_at < $4
        ORDER BY published_at, id LIMIT $5`,
      [targetType, targetId, from, to, limit],
    )) as Array<{ contentType: 'thread' | 'post' | 'comment'; contentId: string }>;
  }
}
