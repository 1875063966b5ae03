import { Injectable } from '@nestjs/common';

/**
 * A count every signed-in page shows in its header (unread conversations), as SQL on the member's id column: read in
 * the same statement as her browser session, so that a page costs no extra round trip for its badges.
 */
export interface HeaderCount {
  /** The principal's field that carries it (`unreadConversations`). */
  name: string;
  sql: (userIdColumn: string) => string;
}

/** Where features register their header counts while the app starts (as moderation registers its sanction reader). */
@Injectable()
export class HeaderCounts {
  private readonly counts: HeaderCount[] = [];

  register(count: HeaderCount): void {
    this.counts.push(count);
  }

  /** The counts as extra columns of a statement that has the member's id in `userIdColumn`. */
  columns(userIdColumn: string): string {
    return this.counts.map((c) => `, (${c.sql(userIdColumn)}) AS "${c.name}"`).join('');
  }
}
