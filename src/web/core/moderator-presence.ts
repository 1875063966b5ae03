import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EVENTS } from '../../common/events';
import { UsersService } from '../../users/users.service';

/** How long a process trusts its count when the change was made elsewhere (another process, the admin CLI). */
const FRESH_MS = 30_000;

/**
 * Whether anyone holds the moderator role, for the admins' notice on every page ("first posts wait for review and
 * nobody is a moderator yet"). Admins are not counted: the notice is about the daily reviewing nobody is doing. Kept
 * per process and forgotten at once when a role changes here, else after 30 s; a page view costs no query.
 */
@Injectable()
export class ModeratorPresence {
  private known?: { missing: boolean; at: number };
  private pending?: Promise<boolean>;

  constructor(private readonly users: UsersService) {}

  async missing(): Promise<boolean> {
    if (this.known && Date.now() - this.known.at < FRESH_MS) return this.known.missing;
    this.pending ??= this.users
      .moderatorCount()
      .then((count) => {
        this.known = { missing: count === 0, at: Date.now() };
        return count === 0;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  @OnEvent(EVENTS.userRoleChanged)
  forget(): void {
    this.known = undefined;
  }
}
