import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';

/**
 * A member's chat messages in her archive, and what becomes of them when she goes: moved to the "Former member"
 * account (each with a client id of its own, so two former members' sends never collide) or removed outright
 * (nothing in the chat hangs on a message). Her mutes and kicks go; rooms she made stay, without her name.
 */
@Injectable()
export class ChatMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'chatMessages',
      exportBatch: (userId, after, limit) => this.messagesOf(userId, after, limit),
      forget: (m, who) => this.forget(m, who),
    });
  }

  private async messagesOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT m.id, r.slug AS room, m.body, m.status, m.created_at AS "createdAt"
         FROM chat_messages m JOIN chat_rooms r ON r.id = m.room_id
        WHERE m.author_id = $1 AND ($2::bigint IS NULL OR m.id > $2) ORDER BY m.id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forget(m: EntityManager, who: Forgetting): Promise<void> {
    if (who.content === 'delete') {
      await m.query(`DELETE FROM chat_messages WHERE author_id = $1`, [who.userId]);
    } else {
      await m.query(`UPDATE chat_messages SET author_id = $2, client_id = 'former-' || id WHERE author_id = $1`, [
        who.userId,
        who.formerMemberId,
      ]);
    }
    await m.query(`DELETE FROM chat_restrictions WHERE user_id = $1`, [who.userId]);
    await m.query(`UPDATE chat_restrictions SET created_by = NULL WHERE created_by = $1`, [who.userId]);
    await m.query(`UPDATE chat_rooms SET created_by = NULL WHERE created_by = $1`, [who.userId]);
  }
}
