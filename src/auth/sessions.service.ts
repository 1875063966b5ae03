import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';

/** Why a member's sessions ended, as kept in `sessions.revoked_reason` and told to her sockets. */
export type SessionEndReason =
  'logout_all' | 'password_changed' | 'password_reset' | 'email_changed' | 'account_deleted' | (string & {});

export interface EndAllOptions {
  /** A session to keep: the caller's own, when she changed her password from it. */
  except?: string;
  reason: SessionEndReason;
}

/**
 * Ending a member's sessions, for every feature that needs it (sign-out everywhere, password change and reset,
 * deletion). A revoked session's refresh tokens stop working with it (a refresh checks its session), its access
 * tokens and browser cookie fail on the next request (each request reads the session), and its sockets are cut at
 * once on every process (the chat listener hears `sessionsRevoked`).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  /** Ends every open session of the member except `except`; answers how many ended. */
  async endAll(userId: string, options: EndAllOptions): Promise<number> {
    const rows = (await this.db.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
        RETURNING id`,
      [userId, options.except ?? null, options.reason],
    )) as [Array<{ id: string }>, number];
    const ended = rows[0].map((r) => r.id);
    // Without an exception, every socket of the member goes, even one whose session ended a moment earlier.
    const sessionIds = options.except === undefined ? 'all' : ended;
    if (sessionIds === 'all' || sessionIds.length > 0) {
      this.events.emit(EVENTS.sessionsRevoked, { userId, sessionIds, reason: options.reason });
    }
    return ended.length;
  }
}
