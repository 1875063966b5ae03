import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';

/**
 * A member's conversation messages in her archive (her own words only: others' messages are theirs), and what
 * becomes of them when she goes, as she chose: moved to the "Former member" account (each with a client id of its
 * own, so two former members' sends never collide), or removed. Her places in conversations and her setting go;
 * conversations she started stay for the others, without her name.
 */
@Injectable()
export class ConversationMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'conversationMessages',
      exportBatch: (userId, after, limit) => this.messagesOf(userId, after, limit),
      forget: (m, who) => this.forget(m, who),
    });
  }

  private async messagesOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT m.id, m.conversation_id AS "conversationId", m.body, m.status, m.created_at AS "createdAt"
         FROM conversation_messages m
        WHERE m.author_id = $1 AND ($2::bigint IS NULL OR m.id > $2) ORDER BY m.id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forget(m: EntityManager, who: Forgetting): Promise<void> {
    if (who.content === 'delete') {
      await m.query(`DELETE FROM conversation_messages WHERE author_id = $1`, [who.userId]);
    } else {
      await m.query(
        `UPDATE conversation_messages SET author_id = $2, client_id = 'former-' || id WHERE author_id = $1`,
        [who.userId, who.formerMemberId],
      );
    }
    await m.query(`DELETE FROM conversation_participants WHERE user_id = $1`, [who.userId]);
    await m.query(`DELETE FROM conversation_settings WHERE user_id = $1`, [who.userId]);
    await m.query(`UPDATE conversations SET created_by = NULL WHERE created_by = $1`, [who.userId]);
  }
}
