import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { notFound } from '../common/errors/domain-error';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';
import type { SupportLineInputDto } from './dto';
import type { SupportKind } from './library.constants';

export interface SupportLine {
  id: string;
  country: string;
  kind: SupportKind;
  name: string;
  phone: string;
  hours: string;
  url: string | null;
  needsReview: boolean;
}

/** The lines of one country, crisis lines first. */
export interface CountryLines {
  country: string;
  lines: SupportLine[];
}

/** How long a process trusts its copy before it asks the database whether another process changed the lines. */
export const SUPPORT_LINES_RECHECK_MS = 5000;

const SELECT = `SELECT id, country, kind, name, phone, hours, url, needs_review AS "needsReview" FROM support_lines`;
const ORDER = `ORDER BY country, kind, position, id`;
/** Changes when any line is added, changed or removed (a removal lowers the count; the rest move the max). */
const VERSION = `SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') AS version FROM support_lines`;

/**
 * Crisis lines and nurse helplines per country, set by admins. Every page's crisis banner reads them, so each process
 * keeps them in memory: a change here reloads at once, and a change in another process is seen within
 * SUPPORT_LINES_RECHECK_MS, by one small version query at most that often, never on the page's own path.
 */
@Injectable()
export class SupportLinesService implements OnApplicationBootstrap {
  private byCountry = new Map<string, SupportLine[]>();
  private version = '';
  private checkedAt = 0;
  private checking: Promise<void> | undefined;
  /** Goes up each time the copy is replaced, so readers may keep what they made from it until then. */
  private loads = 0;

  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
  }

  /** From memory, for every page: the lines of the first of `countries` that has any, crisis lines first. */
  linesFor(countries: readonly string[]): CountryLines | undefined {
    this.refreshIfDue();
    for (const country of countries) {
      const lines = this.byCountry.get(country);
      if (lines?.length) return { country, lines };
    }
    return undefined;
  }

  /** Changes whenever the in-memory copy changes (after linesFor has had its chance to start a recheck). */
  get generation(): number {
    return this.loads;
  }

  /** All lines, by country (the /support page and the admin's list read the table itself). */
  async byCountries(): Promise<CountryLines[]> {
    const rows = await this.read();
    return [...group(rows)].map(([country, lines]) => ({ country, lines }));
  }

  async get(id: string): Promise<SupportLine> {
    const [row] = (await this.db.query(`${SELECT} WHERE id = $1`, [id])) as SupportLine[];
    if (!row) throw notFound('Support line');
    return row;
  }

  async add(admin: Principal, input: SupportLineInputDto): Promise<SupportLine> {
    const [row] = (await this.db.query(
      `INSERT INTO support_lines (country, kind, name, phone, hours, url, position)
       VALUES ($1::text, $2::text, $3, $4, $5, $6,
               (SELECT coalesce(max(position), 0) + 1 FROM support_lines WHERE country = $1::text AND kind = $2::text))
       RETURNING id`,
      values(input),
    )) as Array<{ id: string }>;
    await this.reload();
    this.audit(admin, 'create', row.id, input);
    return this.get(row.id);
  }

  /** An admin's change: the line counts as reviewed from now on. */
  async update(admin: Principal, id: string, input: SupportLineInputDto): Promise<SupportLine> {
    const [, count] = (await this.db.query(
      `UPDATE support_lines SET country = $2, kind = $3, name = $4, phone = $5, hours = $6, url = $7,
              needs_review = false, updated_at = clock_timestamp()
        WHERE id = $1`,
      [id, ...values(input)],
    )) as [unknown, number];
    if (count === 0) throw notFound('Support line');
    await this.reload();
    this.audit(admin, 'update', id, input);
    return this.get(id);
  }

  async remove(admin: Principal, id: string): Promise<void> {
    const [, count] = (await this.db.query(`DELETE FROM support_lines WHERE id = $1`, [id])) as [unknown, number];
    if (count === 0) throw notFound('Support line');
    await this.reload();
    this.audit(admin, 'delete', id);
  }

  /** Admins' changes go to the audit log, with the line as it now reads. */
  private audit(admin: Principal, action: string, id: string, input?: SupportLineInputDto): void {
    const note = input ? `${input.country.toUpperCase()} ${input.kind}: ${input.name} ${input.phone}` : undefined;
    this.events.emit(EVENTS.contentModerated, {
      actorId: admin.id,
      action,
      targetType: 'support_line',
      targetId: id,
      note,
    });
  }

  /** Reads the lines into memory now (after a change here, or when another process changed them). */
  async reload(): Promise<void> {
    const [{ version }] = (await this.db.query(VERSION)) as Array<{ version: string }>;
    const rows = await this.read();
    this.byCountry = group(rows);
    this.version = version;
    this.loads += 1;
    this.checkedAt = Date.now();
  }

  /** Starts one version check in the background when the copy is older than the recheck time; never waits. */
  refreshIfDue(): void {
    if (this.checking || Date.now() - this.checkedAt < SUPPORT_LINES_RECHECK_MS) return;
    this.checking = this.recheck()
      .catch(() => undefined) // the database is away: keep the copy, ask again later
      .finally(() => {
        this.checkedAt = Date.now();
        this.checking = undefined;
      });
  }

  private async recheck(): Promise<void> {
    const [{ version }] = (await this.db.query(VERSION)) as Array<{ version: string }>;
    if (version !== this.version) await this.reload();
  }

  private async read(): Promise<SupportLine[]> {
    return (await this.db.query(`${SELECT} ${ORDER}`)) as SupportLine[];
  }
}

function values(input: SupportLineInputDto): unknown[] {
  return [input.country.toUpperCase(), input.kind, input.name, input.phone.trim(), input.hours, input.url ?? null];
}

function group(rows: SupportLine[]): Map<string, SupportLine[]> {
  const map = new Map<string, SupportLine[]>();
  for (const row of rows) {
    const list = map.get(row.country) ?? [];
    list.push(row);
    map.set(row.country, list);
  }
  return map;
}
