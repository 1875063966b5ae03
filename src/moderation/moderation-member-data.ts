import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';
import { AuditService } from './audit/audit.service';
import { ReportedContext } from './queue/reported-context';

/**
 * A member's reports in her archive, and what moderation keeps when she goes: the audit log, with a pseudonym for
 * her; not her reports, the reports and sanctions about her, nor her name on the moderators' own records. The
 * copies of private messages reported with context lose her name, and her words when she chose to delete them.
 */
@Injectable()
export class ModerationMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
    private readonly audit: AuditService,
    private readonly context: ReportedContext,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'reports',
      exportBatch: (userId, after, limit) => this.reportsOf(userId, after, limit),
      forget: (m, who) => this.forget(m, who),
    });
  }

  private async reportsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT id, target_type AS "targetType", target_id AS "targetId", reason, note, created_at AS "createdAt",
              resolved_at AS "resolvedAt"
         FROM reports WHERE reporter_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forget(m: EntityManager, who: Forgetting): Promise<void> {
    const id = who.userId;
    await m.query(`DELETE FROM reports WHERE reporter_id = $1 OR (target_type = 'user' AND target_id = $1)`, [id]);
    await m.query(`DELETE FROM moderation_items WHERE target_type = 'user' AND target_id = $1`, [id]);
    await m.query(`DELETE FROM sanctions WHERE user_id = $1`, [id]);
    await m.query(`UPDATE sanctions SET created_by = NULL WHERE created_by = $1`, [id]);
    await m.query(`UPDATE sanctions SET lifted_by = NULL WHERE lifted_by = $1`, [id]);
    await m.query(`UPDATE moderation_items SET resolved_by = NULL WHERE resolved_by = $1`, [id]);
    await m.query(`UPDATE watched_words SET created_by = NULL WHERE created_by = $1`, [id]);
    await m.query(`UPDATE reach_outs SET moderator_id = NULL WHERE moderator_id = $1`, [id]);
    await m.query(`UPDATE reach_out_settings SET updated_by = NULL WHERE updated_by = $1`, [id]);
    await this.context.forget(m, who.username, who.content === 'delete');
    await this.audit.pseudonymise(m, who);
  }
}
