import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';

/** When the next Thursday evening circle runs: Thursday 18:00 to 19:30 UTC, this week's if still ahead. */
export function nextThursdayCircle(now: Date): { startsAt: Date; endsAt: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18, 0, 0));
  start.setUTCDate(start.getUTCDate() + ((4 - start.getUTCDay() + 7) % 7));
  const end = new Date(start.getTime() + 90 * 60 * 1000);
  if (end <= now) {
    start.setUTCDate(start.getUTCDate() + 7);
    end.setUTCDate(end.getUTCDate() + 7);
  }
  return { startsAt: start, endsAt: end };
}

/**
 * A fresh community outside production has somewhere to talk: the always-open lobby, and the next Thursday
 * evening circle, a session a moderator hosts. Only on an empty rooms table, one process at a time.
 */
@Injectable()
export class StarterRooms implements OnApplicationBootstrap {
  private readonly logger = new Logger(StarterRooms.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(7361044)`);
      const [{ count }] = (await m.query(`SELECT count(*)::int AS count FROM chat_rooms`)) as Array<{ count: number }>;
      if (count > 0) return;
      const circle = nextThursdayCircle(new Date());
      await m.query(
        `INSERT INTO chat_rooms (slug, name, description, kind, starts_at, ends_at, slow_mode_seconds) VALUES
           ('lobby', 'Lobby', $1, 'open', NULL, NULL, 0),
           ('thursday-evening-circle', 'Thursday evening circle', $2, 'session', $3, $4, 0)`,
        [
          'Come in, say hello, or just sit with others for a while. Always open; moderators drop by often.',
          'A gentle hour and a half together, hosted by a moderator. Share how your week went, or just listen.',
          circle.startsAt,
          circle.endsAt,
        ],
      );
      this.logger.log('seeded the starter chat rooms: the lobby and the Thursday evening circle');
    });
  }
}
