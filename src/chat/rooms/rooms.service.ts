import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { badInput, forbidden, notFound } from '../../common/errors/domain-error';
import { conflictIfTaken } from '../../common/errors/unique-violation';
import { EVENTS } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import type { RoomView } from '../chat-events';
import type { RoomApproval, RoomKind } from './chat-room.constants';
import type { CreateRoomDto, UpdateRoomDto } from './dto/room.dto';

/** What the chat needs of a room on every event. */
export interface RoomRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: RoomKind;
  startsAt: Date | null;
  endsAt: Date | null;
  slowModeSeconds: number;
  approval: RoomApproval;
}

/** A mute or kick still running, as the moderators' page lists it. */
export interface RoomRestriction {
  room: string;
  kind: 'mute' | 'kick';
  username: string;
  displayName: string;
  until: string;
  by: string | null;
}

/** A RoomRow's columns of the chat_rooms row `alias`, for this service and for queries that read more beside. */
export const roomColumnsSql = (alias: string): string => `${alias}.id, ${alias}.slug, ${alias}.name,
  ${alias}.description, ${alias}.kind, ${alias}.starts_at AS "startsAt", ${alias}.ends_at AS "endsAt",
  ${alias}.slow_mode_seconds AS "slowModeSeconds", ${alias}.approval`;

const SELECT = `SELECT ${roomColumnsSql('chat_rooms')} FROM chat_rooms`;

/** The longest a session may run. */
const MAX_SESSION_MS = 7 * 24 * 3600 * 1000;

/** Rooms: listed to anyone, created and changed by moderators. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  /** Open rooms first, then sessions by start; a session that ended more than a day ago is no longer listed. */
  async list(): Promise<RoomView[]> {
    const rows = (await this.db.query(
      `${SELECT} WHERE kind = 'open' OR ends_at > now() - interval '1 day'
        ORDER BY kind = 'session', starts_at NULLS FIRST, id`,
    )) as RoomRow[];
    const now = new Date();
    return rows.map((r) => roomView(r, now));
  }

  async bySlug(slug: string): Promise<RoomRow> {
    const rows = (await this.db.query(`${SELECT} WHERE slug = $1`, [slug])) as RoomRow[];
    if (!rows[0]) throw notFound('Room');
    return rows[0];
  }

  async create(moderator: Principal, input: CreateRoomDto): Promise<RoomView> {
    const window = checkWindow(input.kind, input.startsAt, input.endsAt);
    try {
      await this.db.query(
        `INSERT INTO chat_rooms (slug, name, description, kind, starts_at, ends_at, slow_mode_seconds, approval, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          input.slug,
          input.name,
          input.description ?? '',
          input.kind,
          window.startsAt,
          window.endsAt,
          input.slowModeSeconds ?? 0,
          input.approval ?? 'none',
          moderator.id,
        ],
      );
    } catch (err) {
      throw conflictIfTaken(err, 'slug is already used by another room');
    }
    this.audit(moderator, 'room.create', input.slug);
    return roomView(await this.bySlug(input.slug), new Date());
  }

  async update(moderator: Principal, slug: string, changes: UpdateRoomDto): Promise<RoomView> {
    const room = await this.bySlug(slug);
    if (room.kind === 'open' && (changes.startsAt !== undefined || changes.endsAt !== undefined)) {
      throw badInput('startsAt', 'and endsAt are for session rooms only');
    }
    const window =
      room.kind === 'session'
        ? checkWindow(
            'session',
            changes.startsAt ?? room.startsAt!.toISOString(),
            changes.endsAt ?? room.endsAt!.toISOString(),
          )
        : { startsAt: null, endsAt: null };
    await this.db.query(
      `UPDATE chat_rooms SET name = coalesce($2, name), description = coalesce($3, description), starts_at = $4,
              ends_at = $5, slow_mode_seconds = coalesce($6, slow_mode_seconds), approval = coalesce($7, approval)
        WHERE id = $1`,
      [
        room.id,
        changes.name ?? null,
        changes.description ?? null,
        window.startsAt,
        window.endsAt,
        changes.slowModeSeconds ?? null,
        changes.approval ?? null,
      ],
    );
    this.audit(moderator, 'room.update', slug, JSON.stringify(changes));
    return roomView(await this.bySlug(slug), new Date());
  }

  /** A session room takes messages only within its window (403 otherwise, saying when it opens). */
  /** Mutes and kicks still running, in every room or in one (by slug). */
  async restrictions(slug?: string): Promise<RoomRestriction[]> {
    const rows = (await this.db.query(
      `SELECT room.slug AS room, r.kind, u.username, u.display_name AS "displayName", r.until, moderator.username AS by
         FROM chat_restrictions r
         JOIN chat_rooms room ON room.id = r.room_id
         JOIN users u ON u.id = r.user_id
         LEFT JOIN users moderator ON moderator.id = r.created_by
        WHERE r.until > now() AND ($1::text IS NULL OR room.slug = $1)
        ORDER BY room.slug, r.until`,
      [slug ?? null],
    )) as Array<Omit<RoomRestriction, 'until'> & { until: Date }>;
    return rows.map((r) => ({ ...r, until: r.until.toISOString() }));
  }

  assertAcceptingMessages(room: RoomRow, now = new Date()): void {
    if (room.kind !== 'session' || acceptingMessages(room, now)) return;
    const when = `${room.startsAt!.toISOString()} to ${room.endsAt!.toISOString()}`;
    throw forbidden(
      now < room.startsAt!
        ? `This session has not started yet: it takes messages from ${when}`
        : `This session has ended: it took messages from ${when}`,
    );
  }

  private audit(moderator: Principal, action: string, slug: string, note?: string): void {
    this.events.emit(EVENTS.chatModerated, {
      actorId: moderator.id,
      action,
      targetType: 'chat_room',
      targetId: slug,
      note,
    });
  }
}

export function acceptingMessages(room: RoomRow, now: Date): boolean {
  return room.kind === 'open' || (now >= room.startsAt! && now < room.endsAt!);
}

export function roomView(r: RoomRow, now: Date): RoomView {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    kind: r.kind,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    slowModeSeconds: r.slowModeSeconds,
    acceptingMessages: acceptingMessages(r, now),
  };
}

/** Open rooms have no window; a session has a start before its end, and lasts at most a week. */
function checkWindow(
  kind: RoomKind,
  startsAt: string | undefined,
  endsAt: string | undefined,
): { startsAt: Date | null; endsAt: Date | null } {
  if (kind === 'open') {
    if (startsAt !== undefined || endsAt !== undefined) {
      throw badInput('startsAt', 'and endsAt are for session rooms only');
    }
    return { startsAt: null, endsAt: null };
  }
  if (startsAt === undefined) throw badInput('startsAt', 'is required for a session room');
  if (endsAt === undefined) throw badInput('endsAt', 'is required for a session room');
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (end.getTime() <= start.getTime()) throw badInput('endsAt', 'must be after startsAt');
  if (end.getTime() - start.getTime() > MAX_SESSION_MS) throw badInput('endsAt', 'must be within a week of startsAt');
  return { startsAt: start, endsAt: end };
}
