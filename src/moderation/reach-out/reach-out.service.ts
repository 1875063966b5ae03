import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { conflict, DomainError, notFound } from '../../common/errors/domain-error';
import { ConversationsService } from '../../conversations/conversations.service';
import { ContentRegistry, type ModeratedType } from '../../publishing/content-registry';
import { AuditService } from '../audit/audit.service';
import { PRIORITY } from '../queue/queue.service';
import { ReachOutSettingsService } from './reach-out-settings.service';

type Started = Awaited<ReturnType<ConversationsService['startCare']>>;

/** A reach-out: the care conversation, and its first message when this call opened it (null when it was open). */
export interface ReachOutResult {
  created: boolean;
  conversation: Started['conversation'];
  message: Started['message'] | null;
}

/** A claim older than this with no conversation is from a process that stopped half-way: it is taken over. */
const STALE_CLAIM_SECONDS = 60;

/**
 * A moderator reaches out from a crisis or self-harm item: one click opens a care conversation with the item's
 * author (the real one, for an anonymous post; the moderator already sees who it is, nobody else learns it),
 * with the admin's starter text unless she wrote her own words. The conversations feature starts it as from the
 * moderation team, whatever the member accepts. One conversation per item: a second click answers the same one.
 */
@Injectable()
export class ReachOutService {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly conversations: ConversationsService,
    private readonly settings: ReachOutSettingsService,
    private readonly audit: AuditService,
  ) {}

  async reachOut(moderator: Principal, itemId: string, body: string | undefined): Promise<ReachOutResult> {
    const item = await this.item(itemId);
    if (item.priority !== PRIORITY.crisis) {
      throw conflict('Reaching out is for crisis and self-harm items; this item is neither');
    }
    const memberId = await this.authorOf(item);
    if (memberId === moderator.id) throw conflict('You wrote this yourself: there is no one else to reach out to');
    const open = await this.claim(item.id, moderator.id);
    if (open === 'starting') this.stillStarting();
    if (open) {
      const same = await this.existing(moderator, open);
      if (same) return same;
      // Her own care conversation from this item is gone for her (deleted, or she left it): she may open another.
      if (!(await this.retake(item.id, moderator.id, open.conversationId))) this.stillStarting();
    }
    let started: Started;
    try {
      started = await this.conversations.startCare({
        moderatorId: moderator.id,
        memberId,
        body: body ?? (await this.settings.starterText()),
        itemId: item.id,
      });
    } catch (err) {
      await this.db.query(`DELETE FROM reach_outs WHERE item_id = $1 AND conversation_id IS NULL`, [item.id]);
      throw err;
    }
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE reach_outs SET conversation_id = $2 WHERE item_id = $1`, [
        item.id,
        started.conversation.id,
      ]);
      await this.audit.record(
        {
          actorId: moderator.id,
          action: 'queue.reach_out',
          targetType: item.targetType,
          targetId: item.targetId,
          details: { itemId: item.id, conversationId: started.conversation.id, ownWords: body !== undefined },
        },
        m,
      );
    });
    return { created: true, conversation: started.conversation, message: started.message };
  }

  private async item(id: string): Promise<ItemRow> {
    const [row] = (await this.db.query(
      `SELECT id, target_type AS "targetType", target_id AS "targetId", priority FROM moderation_items WHERE id = $1`,
      [id],
    )) as ItemRow[];
    if (!row) throw notFound('Queue item');
    return row;
  }

  /** The member behind the item: a reported profile's owner, or the content's author (anonymous or not). */
  private async authorOf(item: ItemRow): Promise<string> {
    if (item.targetType === 'user') return item.targetId;
    const content = await this.registry.get(item.targetType).load(item.targetId);
    if (!content) throw notFound('The content of this item');
    if (!content.authorId) {
      throw conflict(
        'This was written by a guest who has no account, so there is no one to send a private message to. ' +
          'If it is a reply or a comment, a kind public answer with the support lines may help.',
      );
    }
    return content.authorId;
  }

  /**
   * Takes the item's reach-out for this moderator: undefined when she may start it now, the conversation opened
   * before (and by whom) when there is one, `starting` while another click is starting it.
   */
  private async claim(itemId: string, moderatorId: string): Promise<Opened | 'starting' | undefined> {
    const taken = (await this.db.query(
      `INSERT INTO reach_outs (item_id, moderator_id) VALUES ($1, $2)
       ON CONFLICT (item_id) DO UPDATE SET moderator_id = EXCLUDED.moderator_id, created_at = now()
         WHERE reach_outs.conversation_id IS NULL
           AND reach_outs.created_at < now() - make_interval(secs => $3)
       RETURNING item_id`,
      [itemId, moderatorId, STALE_CLAIM_SECONDS],
    )) as unknown[];
    if (taken.length) return undefined;
    const [row] = (await this.db.query(
      `SELECT conversation_id AS "conversationId", moderator_id AS "moderatorId" FROM reach_outs WHERE item_id = $1`,
      [itemId],
    )) as Array<{ conversationId: string | null; moderatorId: string | null }>;
    return row?.conversationId ? { conversationId: row.conversationId, moderatorId: row.moderatorId } : 'starting';
  }

  /** Takes over the item's reach-out whose conversation is gone for its moderator; false when another click won. */
  private async retake(itemId: string, moderatorId: string, conversationId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `UPDATE reach_outs SET conversation_id = NULL, moderator_id = $2, created_at = now()
        WHERE item_id = $1 AND conversation_id = $3 RETURNING item_id`,
      [itemId, moderatorId, conversationId],
    )) as [unknown[], number];
    return rows[1] > 0;
  }

  /**
   * The care conversation opened from this item before: the same one, for the moderator in it; undefined when she
   * left it or it is gone (she may open another); 409 for another moderator (it is not hers to read).
   */
  private async existing(moderator: Principal, open: Opened): Promise<ReachOutResult | undefined> {
    try {
      const conversation = await this.conversations.get(moderator, open.conversationId);
      const left = conversation.participants.some((p) => p.username === moderator.username && p.left);
      if (left) return undefined;
      return { created: false, conversation, message: null };
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      if (open.moderatorId === moderator.id) return undefined;
      throw conflict(
        'Another moderator has already reached out to this member from this item; the audit log says who. ' +
          'One conversation is kinder than several.',
      );
    }
  }

  private stillStarting(): never {
    throw conflict('Another moderator is opening a conversation from this item right now; look again in a moment');
  }
}

interface Opened {
  conversationId: string;
  moderatorId: string | null;
}

interface ItemRow {
  id: string;
  targetType: ModeratedType;
  targetId: string;
  priority: number;
}
