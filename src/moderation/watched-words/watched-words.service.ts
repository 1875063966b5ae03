import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Principal } from '../../common/auth/principal';
import { badInput, conflict, DomainError, notFound } from '../../common/errors/domain-error';
import { conflictIfTaken } from '../../common/errors/unique-violation';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { type PublishingDecision, PublishingGate, type PublishingRule } from '../../publishing/publishing-gate';
import { AuditService } from '../audit/audit.service';
import {
  normalizeForMatching,
  validatePattern,
  type WatchedAction,
  type WatchedWord,
  WatchedWordsMatcher,
} from './matcher/watched-words-matcher';
import { STARTER_CRISIS_LIST } from './starter-crisis-list';

export const WATCHED_ACTIONS = ['block', 'hold', 'flag', 'crisis'] as const;

export class CreateWatchedWordDto {
  @ApiProperty({ description: 'a word or phrase; a trailing * matches any word starting so (overdos*)' })
  @IsString()
  pattern!: string;

  @ApiProperty({ enum: WATCHED_ACTIONS })
  @IsIn(WATCHED_ACTIONS, { message: 'action must be block, hold, flag or crisis' })
  action!: WatchedAction;
}

const CHANNEL = 'haven_watched_words';

/** One writer of the starter crisis list at a time, across processes (as the starter community's seeder). */
const STARTER_LOCK = 7361045;

/**
 * Watched words: the admins' list, one compiled matcher over it, and the publishing-gate rule that applies it.
 * Every process keeps its matcher current: a change is announced with PostgreSQL NOTIFY, and every process LISTENs.
 */
/** A rule as the moderators' page lists it. */
export interface WatchedWordEntry {
  id: string;
  pattern: string;
  action: 'block' | 'hold' | 'flag' | 'crisis';
  addedBy: string | null;
  createdAt: string;
}

@Injectable()
export class WatchedWordsService implements OnModuleInit, OnModuleDestroy, PublishingRule {
  readonly name = 'watched-words';
  private readonly logger = new Logger(WatchedWordsService.name);
  private matcher = new WatchedWordsMatcher([]);
  private listener?: { release: () => void };
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly gate: PublishingGate,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.gate.register(this);
    await this.listen();
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.listener?.release();
  }

  /**
   * The gate's rule: block refuses (422) naming the rule only; hold waits; flag publishes and queues; crisis
   * publishes, queues first and answers the author with support resources. Crisis words beside blocked or held
   * ones are held for an urgent look instead (the author still gets the resources): a crisis phrase must not become
   * a way around the block list.
   */
  async evaluate(request: { text: string }): Promise<Partial<PublishingDecision> | void> {
    const hits = this.matcher.match(request.text);
    if (hits.length === 0) return;
    const ids = (...actions: WatchedAction[]) => [
      ...new Set(hits.filter((h) => actions.includes(h.word.action)).map((h) => String(h.word.id))),
    ];
    const has = (action: WatchedAction) => hits.some((h) => h.word.action === action);
    if (has('crisis')) {
      const alsoRefused = has('block') || has('hold');
      return {
        review: true,
        crisis: true,
        ...(alsoRefused ? { status: 'pending' as const } : {}),
        reasons: [
          { code: 'crisis', ruleIds: ids('crisis') },
          ...(alsoRefused
            ? [{ code: 'watched' as const, action: 'hold' as const, ruleIds: ids('block', 'hold') }]
            : []),
        ],
        notice: this.config.moderation.crisisSupportText,
      };
    }
    if (has('block')) {
      const rules = ids('block').map((id) => `#${id}`);
      throw new DomainError(
        'content_refused',
        `This text contains a phrase this community does not allow (watched word rule ${rules.join(', ')}); please rephrase it`,
      );
    }
    if (has('hold')) return { status: 'pending', reasons: [{ code: 'watched', action: 'hold', ruleIds: ids('hold') }] };
    return { review: true, reasons: [{ code: 'watched', action: 'flag', ruleIds: ids('flag') }] };
  }

  async list(): Promise<WatchedWord[]> {
    return (await this.db.query(`SELECT id, pattern, action FROM watched_words ORDER BY id`)) as WatchedWord[];
  }

  /** Every rule with who added it, for the moderators' page. */
  async listWithAuthors(): Promise<WatchedWordEntry[]> {
    const rows = (await this.db.query(
      `SELECT w.id, w.pattern, w.action, u.username AS "addedBy", w.created_at AS "createdAt"
         FROM watched_words w LEFT JOIN users u ON u.id = w.created_by ORDER BY w.id`,
    )) as Array<Omit<WatchedWordEntry, 'createdAt'> & { createdAt: Date }>;
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  async add(admin: Principal, input: CreateWatchedWordDto): Promise<WatchedWord> {
    const pattern = input.pattern.trim().replace(/\s+/g, ' ');
    const problem = validatePattern(pattern);
    if (problem) throw badInput('pattern', problem);
    const key = matchKey(pattern);
    if ((await this.list()).some((w) => matchKey(w.pattern) === key)) {
      throw conflict('pattern is already on the list (in this or another spelling)');
    }
    const word = await this.db.transaction(async (m) => {
      let row: WatchedWord;
      try {
        [row] = (await m.query(
          `INSERT INTO watched_words (pattern, action, created_by) VALUES ($1, $2, $3) RETURNING id, pattern, action`,
          [pattern, input.action, admin.id],
        )) as WatchedWord[];
      } catch (err) {
        throw conflictIfTaken(err, 'pattern is already on the list');
      }
      await this.audit.record(
        {
          actorId: admin.id,
          action: 'watched_word.add',
          targetType: 'watched_word',
          targetId: row.id,
          note: `${input.action}`,
          details: { pattern: row.pattern, action: row.action },
        },
        m,
      );
      await m.query(`SELECT pg_notify($1, 'changed')`, [CHANNEL]);
      return row;
    });
    await this.reload();
    return word;
  }

  async remove(admin: Principal, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const [rows] = (await m.query(`DELETE FROM watched_words WHERE id = $1 RETURNING pattern, action`, [id])) as [
        Array<Pick<WatchedWord, 'pattern' | 'action'>>,
        number,
      ];
      if (!rows[0]) throw notFound('Watched word');
      await this.audit.record(
        {
          actorId: admin.id,
          action: 'watched_word.remove',
          targetType: 'watched_word',
          targetId: id,
          details: { pattern: rows[0].pattern, action: rows[0].action },
        },
        m,
      );
      await m.query(`SELECT pg_notify($1, 'changed')`, [CHANNEL]);
    });
    await this.reload();
  }

  /**
   * The admin's one click: adds the starter crisis phrases that are not on the list yet (in any spelling), audited as
   * one entry; answers how many were added (0 the second time).
   */
  loadStarterCrisisList(admin: Principal): Promise<number> {
    return this.addStarterCrisisList(admin.id, false);
  }

  /** A fresh install outside production: the starter crisis phrases, once, while no crisis phrase is listed. */
  seedStarterCrisisList(): Promise<number> {
    return this.addStarterCrisisList(null, true);
  }

  private async addStarterCrisisList(actorId: string | null, onlyIfNoCrisis: boolean): Promise<number> {
    const added = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [STARTER_LOCK]);
      const listed = (await m.query(`SELECT pattern, action FROM watched_words`)) as WatchedWord[];
      if (onlyIfNoCrisis && listed.some((w) => w.action === 'crisis')) return [];
      const taken = new Set(listed.map((w) => matchKey(w.pattern)));
      const fresh = STARTER_CRISIS_LIST.filter((p) => !taken.has(matchKey(p)));
      if (fresh.length === 0) return [];
      await m.query(
        `INSERT INTO watched_words (pattern, action, created_by)
         SELECT p, 'crisis', $2 FROM unnest($1::text[]) AS p ON CONFLICT (pattern) DO NOTHING`,
        [fresh, actorId],
      );
      await this.audit.record(
        {
          actorId,
          action: 'watched_word.load_starter',
          targetType: 'watched_word',
          targetId: 'starter-crisis-list',
          note: `${fresh.length} starter crisis phrases${actorId ? '' : ' (seeded at start)'}`,
          details: { count: fresh.length, patterns: fresh.join('; ') },
        },
        m,
      );
      await m.query(`SELECT pg_notify($1, 'changed')`, [CHANNEL]);
      return fresh;
    });
    if (added.length > 0) await this.reload();
    return added.length;
  }

  private async reload(): Promise<void> {
    this.matcher = new WatchedWordsMatcher(await this.list());
  }

  /** One connection per process LISTENs for changes made by any process; it reconnects if the database drops it. */
  private async listen(): Promise<void> {
    if (this.closing) return;
    try {
      const driver = this.db.driver as PostgresDriver;
      const [client, release] = (await driver.obtainMasterConnection()) as [PgClient, (err?: unknown) => void];
      let released = false;
      const done = (err?: unknown) => {
        if (released) return;
        released = true;
        client.removeAllListeners('notification');
        release(err);
      };
      this.listener = { release: () => done() };
      client.on('notification', (msg: { channel: string }) => {
        if (msg.channel === CHANNEL)
          this.reload().catch((e: Error) => this.logger.warn(`reloading watched words: ${e.message}`));
      });
      client.once('error', (err: Error) => {
        done(err);
        this.retry();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      await this.reload(); // whatever changed while we were not listening
    } catch (err) {
      this.logger.warn(`watched words: cannot LISTEN (${(err as Error).message}); retrying`);
      this.retry();
    }
  }

  private retry(): void {
    if (!this.closing) setTimeout(() => void this.listen(), 2000).unref();
  }
}

/** Two patterns with the same key match exactly the same texts. */
const matchKey = (pattern: string) => `${normalizeForMatching(pattern)}${pattern.trim().endsWith('*') ? '*' : ''}`;

interface PgClient {
  on(event: 'notification', cb: (msg: { channel: string }) => void): void;
  once(event: 'error', cb: (err: Error) => void): void;
  removeAllListeners(event: string): void;
  query(sql: string): Promise<unknown>;
}
