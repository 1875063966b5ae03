import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { badInput } from '../common/errors/domain-error';
import { hashToken, newToken, TOKEN_PATTERN } from '../common/tokens/one-time-token';
import { ACCOUNT_TOKEN_TTL_SECONDS, type AccountTokenPurpose } from './account-tokens.constants';

/** A live link's row: whose it is and the address it is about. */
export interface AccountLink {
  id: string;
  userId: string;
  email: string;
}

/** One message for every dead link: unknown, used, expired or of another purpose are alike to its holder. */
export const DEAD_LINK = 'is not valid: this link has expired or was already used';

/**
 * The account links' data layer (table `account_tokens`): issued in the transaction of the change that mails them,
 * each used once, and only its hash stored.
 */
@Injectable()
export class AccountTokens {
  constructor(private readonly db: DataSource) {}

  /** A new link for the member; answers the token to put in the mail (never stored) and its hash's prefix. */
  async issue(
    manager: EntityManager,
    userId: string,
    purpose: AccountTokenPurpose,
    email: string,
  ): Promise<{ token: string; key: string }> {
    const { token, hash } = newToken();
    await manager.query(
      `INSERT INTO account_tokens (user_id, purpose, token_hash, email, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [userId, purpose, hash, email, ACCOUNT_TOKEN_TTL_SECONDS[purpose]],
    );
    return { token, key: `${purpose}:${hash.slice(0, 24)}` };
  }

  /** The live link this token names, without using it (a form shown again keeps it usable); else 400. */
  async peek(token: string, purpose: AccountTokenPurpose, field = 'token'): Promise<AccountLink> {
    const rows = (await this.db.query(
      `SELECT id, user_id AS "userId", email FROM account_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [checked(token, field), purpose],
    )) as AccountLink[];
    if (!rows[0]) throw badInput(field, DEAD_LINK);
    return rows[0];
  }

  /** Uses the link, once: of two requests with the same token, one wins and the other gets the 400. */
  async use(
    manager: EntityManager,
    token: string,
    purpose: AccountTokenPurpose,
    field = 'token',
  ): Promise<AccountLink> {
    const result = (await manager.query(
      `UPDATE account_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", email`,
      [checked(token, field), purpose],
    )) as [AccountLink[], number];
    const link = result[0][0];
    if (!link) throw badInput(field, DEAD_LINK);
    return link;
  }

  /** Ends the member's other live links of these purposes (a new password ends the other reset links). */
  async retire(manager: EntityManager, userId: string, purposes: AccountTokenPurpose[]): Promise<void> {
    await manager.query(
      `UPDATE account_tokens SET used_at = now()
        WHERE user_id = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND expires_at > now()`,
      [userId, purposes],
    );
  }
}

/** A token's hash, once its shape is right (anything else is the same 400 as a dead link, naming the field). */
function checked(token: string, field: string): string {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw badInput(field, DEAD_LINK);
  return hashToken(token);
}
