import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../../common/auth/active-sanctions';
import { hasRole, type Principal } from '../../common/auth/principal';
import { badInput, forbidden, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import { TypedEvents } from '../../common/typed-events';
import { Text } from '../../common/validation/decorators';
import type { Role } from '../../common/auth/role';
import { AuditService } from '../audit/audit.service';
import { ACTIVE_SANCTION_SQL } from './active-sanction.sql';
import { SANCTION_KINDS, type SanctionKind } from './sanction.constants';

export class CreateSanctionDto {
  @ApiProperty({ enum: SANCTION_KINDS })
  @IsIn(SANCTION_KINDS, { message: 'kind must be silence, suspend or ban' })
  kind!: SanctionKind;

  @Text({ min: 3, max: 500, description: 'shown to the member' })
  reason!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'required for suspend; optional for silence' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'until must be an ISO-8601 date and time' })
  until?: string;
}

export interface SanctionView {
  id: string;
  username: string;
  kind: SanctionKind;
  reason: string;
  until: string | null;
  createdAt: string;
  liftedAt: string | null;
}

/** A sanction in force, as the moderators' page lists it: with the member's name and who issued it. */
export interface ActiveSanctionEntry {
  id: string;
  username: string;
  displayName: string;
  kind: SanctionKind;
  reason: string;
  until: string | null;
  createdAt: string;
  issuedBy: string | null;
}

const MAX_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Silence, suspend, ban and lifting. A sanction counts from the member's very next request (the auth guard reads
 * the active one on every request) and is announced so live sockets can be cut.
 */
@Injectable()
export class SanctionsService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: TypedEvents,
    private readonly activeSanctions: ActiveSanctions,
  ) {}

  /** Auth and chat read a member's active sanction through moderation's own SQL. */
  onModuleInit(): void {
    this.activeSanctions.register(ACTIVE_SANCTION_SQL);
  }

  async impose(moderator: Principal, username: string, input: CreateSanctionDto): Promise<SanctionView> {
    const target = await this.member(username);
    if (!outranks(moderator, target.role)) throw forbidden(`A ${moderator.role} cannot sanction a ${target.role}`);
    const until = input.until ? new Date(input.until) : null;
    if (input.kind === 'suspend' && !until) throw badInput('until', 'is required for a suspension');
    if (input.kind === 'ban' && until) throw badInput('until', 'does not apply to a ban: lift it instead');
    if (until && (until.getTime() <= Date.now() || until.getTime() - Date.now() > MAX_MS)) {
      throw badInput('until', 'must be in the future, and within ten years');
    }
    const id = await this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO sanctions (user_id, kind, reason, ends_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [target.id, input.kind, input.reason, until, moderator.id],
      )) as Array<{ id: string }>;
      await this.audit.record(
        {
          actorId: moderator.id,
          action: `sanction.${input.kind}`,
          targetType: 'user',
          targetId: target.username,
          note: input.reason,
          details: { sanctionId: row.id, kind: input.kind, reason: input.reason, until: until?.toISOString() ?? null },
        },
        m,
      );
      return row.id;
    });
    this.events.emit(EVENTS.userSanctioned, {
      userId: target.id,
      kind: input.kind,
      until: until?.toISOString() ?? null,
    });
    return this.get(id);
  }

  async lift(moderator: Principal, username: string, sanctionId: string): Promise<SanctionView> {
    const target = await this.member(username);
    if (!outranks(moderator, target.role))
      throw forbidden(`A ${moderator.role} cannot lift a sanction on a ${target.role}`);
    await this.db.transaction(async (m) => {
      const [rows] = (await m.query(
        `UPDATE sanctions SET lifted_at = now(), lifted_by = $3 WHERE id = $1 AND user_id = $2 AND lifted_at IS NULL
         RETURNING kind, reason, ends_at AS "until"`,
        [sanctionId, target.id, moderator.id],
      )) as [Array<{ kind: string; reason: string; until: Date | null }>, number];
      const lifted = rows[0];
      if (!lifted) throw notFound('Active sanction');
      await this.audit.record(
        {
          actorId: moderator.id,
          action: 'sanction.lift',
          targetType: 'user',
          targetId: target.username,
          note: `sanction ${sanctionId}`,
          details: {
            sanctionId,
            kind: lifted.kind,
            reason: lifted.reason,
            until: lifted.until?.toISOString() ?? null,
          },
        },
        m,
      );
    });
    return this.get(sanctionId);
  }

  async listFor(username: string): Promise<SanctionView[]> {
    const target = await this.member(username);
    const rows = (await this.db.query(`${SELECT} WHERE s.user_id = $1 ORDER BY s.id DESC`, [target.id])) as Row[];
    return rows.map(view);
  }

  /** Sanctions in force now (not lifted, not past their end), newest first, keyset paged. */
  async listActive(query: PageQueryDto): Promise<Page<ActiveSanctionEntry>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = (await this.db.query(
      `SELECT s.id, u.username, u.display_name AS "displayName", s.kind, s.reason, s.ends_at AS until,
              s.created_at AS "createdAt", issuer.username AS "issuedBy"
         FROM sanctions s JOIN users u ON u.id = s.user_id LEFT JOIN users issuer ON issuer.id = s.created_by
        WHERE s.lifted_at IS NULL AND (s.ends_at IS NULL OR s.ends_at > now())
          AND ($1::bigint IS NULL OR s.id < $1)
        ORDER BY s.id DESC LIMIT $2`,
      [after?.[0] ?? null, limit + 1],
    )) as Array<Omit<ActiveSanctionEntry, 'until' | 'createdAt'> & { until: Date | null; createdAt: Date }>;
    return toPage(
      rows,
      limit,
      (r) => ({ ...r, until: r.until?.toISOString() ?? null, createdAt: r.createdAt.toISOString() }),
      (r) => [r.id],
    );
  }

  private async get(id: string): Promise<SanctionView> {
    const rows = (await this.db.query(`${SELECT} WHERE s.id = $1`, [id])) as Row[];
    return view(rows[0]);
  }

  private async member(username: string): Promise<{ id: string; username: string; role: Role }> {
    const rows = (await this.db.query(`SELECT id, username, role FROM users WHERE username = $1`, [
      username,
    ])) as Array<{
      id: string;
      username: string;
      role: Role;
    }>;
    if (!rows[0]) throw notFound('User');
    return rows[0];
  }
}

/** Moderators sanction members; admins sanction members and moderators; nobody sanctions an admin or an equal. */
export const outranks = (actor: Pick<Principal, 'role'>, target: Role): boolean =>
  target === 'member' ? hasRole(actor, 'moderator') : target === 'moderator' && hasRole(actor, 'admin');

const SELECT = `SELECT s.id, u.username, s.kind, s.reason, s.ends_at AS until, s.created_at AS "createdAt", s.lifted_at AS "liftedAt"
  FROM sanctions s JOIN users u ON u.id = s.user_id`;
type Row = {
  id: string;
  username: string;
  kind: SanctionKind;
  reason: string;
  until: Date | null;
  createdAt: Date;
  liftedAt: Date | null;
};
const view = (r: Row): SanctionView => ({
  ...r,
  until: r.until?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  liftedAt: r.liftedAt?.toISOString() ?? null,
});
