import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { badInput, notFound } from '../common/errors/domain-error';
import { uniqueViolation } from '../common/errors/unique-violation';

/** A member as her account mail greets her. */
export interface AddressHolder {
  id: string;
  username: string;
  displayName: string;
}

/** Her address as her settings and her account mail see it. */
export interface AddressState extends AddressHolder {
  email: string;
  confirmed: boolean;
  /** False: another account confirmed this address first; this one never can. */
  confirmable: boolean;
}

/** Answered when another account confirmed the address meanwhile (two links raced). */
const TAKEN_MEANWHILE = 'is no longer available: another account confirmed this address first';

/**
 * A member's address and its confirmation, for the account mail (auth): who holds an address, confirming it,
 * changing it. The users feature owns the table; these are its only writes of `email`, `email_verified_at` and
 * `email_confirmable`. An address is unique among confirmed accounts only (a partial unique index), so that
 * registration never tells whether an address has an account.
 */
@Injectable()
export class MemberAddresses {
  constructor(private readonly db: DataSource) {}

  async state(userId: string, manager: EntityManager = this.db.manager): Promise<AddressState> {
    const rows = (await manager.query(
      `SELECT id, username, display_name AS "displayName", email, email_verified_at IS NOT NULL AS confirmed,
              email_confirmable AS confirmable
         FROM users WHERE id = $1`,
      [userId],
    )) as AddressState[];
    if (!rows[0]) throw notFound('User');
    return rows[0];
  }

  /** The account that confirmed this address, if any (there is at most one). */
  async confirmedHolder(email: string, manager: EntityManager = this.db.manager): Promise<AddressHolder | undefined> {
    const rows = (await manager.query(
      `SELECT id, username, display_name AS "displayName" FROM users
        WHERE email = $1 AND email_verified_at IS NOT NULL`,
      [email.trim().toLowerCase()],
    )) as AddressHolder[];
    return rows[0];
  }

  /**
   * Who may choose a new password by a link mailed to this address: its confirmed account; else the accounts that
   * use it unconfirmed and may still confirm it (a member who never confirmed gets back in, and confirms it so).
   */
  async resetHolders(email: string): Promise<AddressState[]> {
    const rows = (await this.db.query(
      `SELECT id, username, display_name AS "displayName", email, email_verified_at IS NOT NULL AS confirmed,
              email_confirmable AS confirmable
         FROM users
        WHERE email = $1 AND (email_verified_at IS NOT NULL OR email_confirmable)
        ORDER BY (email_verified_at IS NOT NULL) DESC, id DESC
        LIMIT 3`,
      [email.trim().toLowerCase()],
    )) as AddressState[];
    return rows[0]?.confirmed ? [rows[0]] : rows;
  }

  /**
   * Confirms `email` for the member if it is still her address, she may confirm it and no other account confirmed
   * it; answers whether it is now confirmed (true also when it already was). Two confirmations racing: the loser's
   * refusal names `field` (the link's token).
   */
  async confirm(manager: EntityManager, userId: string, email: string, field = 'token'): Promise<boolean> {
    try {
      await manager.query(
        `UPDATE users SET email_verified_at = now(), updated_at = now()
          WHERE id = $1 AND email = $2 AND email_verified_at IS NULL AND email_confirmable
            AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = $2 AND o.email_verified_at IS NOT NULL)`,
        [userId, email],
      );
    } catch (err) {
      if (uniqueViolation(err)) throw badInput(field, TAKEN_MEANWHILE);
      throw err;
    }
    const rows = (await manager.query(
      `SELECT 1 FROM users WHERE id = $1 AND email = $2 AND email_verified_at IS NOT NULL`,
      [userId, email],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Her address becomes `email`, confirmed (she proved it by a mailed link), and confirmable again; answers the
   * address it replaced and whether that one was confirmed. A refusal names `field`.
   */
  async replace(
    manager: EntityManager,
    userId: string,
    email: string,
    field = 'token',
  ): Promise<{ previous: string; previousConfirmed: boolean }> {
    const before = await this.state(userId, manager);
    try {
      await manager.query(
        `UPDATE users SET email = $2, email_verified_at = now(), email_confirmable = true, updated_at = now()
          WHERE id = $1`,
        [userId, email],
      );
    } catch (err) {
      if (uniqueViolation(err)) throw badInput(field, TAKEN_MEANWHILE);
      throw err;
    }
    return { previous: before.email, previousConfirmed: before.confirmed };
  }
}
