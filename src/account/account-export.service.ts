import { gunzipSync, gzipSync } from 'node:zlib';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/domain-error';
import { type ExportRow, MemberDataRegistry } from '../common/member-data/member-data';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import { MailOutbox } from '../mail/outbox';
import { MemberRecord } from '../users/member-record';
import { DAY_MS, EXPORT_BATCH, EXPORT_DAYS, EXPORT_QUEUE, type ExportState } from './account.constants';

export interface ExportStatus {
  status: ExportState;
  url?: string;
  expiresAt?: string;
}

interface ExportJob {
  userId: string;
  requestId: string;
}

const RETRIES = 3;
/** An archive made this recently is the answer to a new request too (each build reads all of her data). */
const FRESH_MS = 10 * 60_000;

/**
 * "Download my data": a request queues one build job in its own transaction (one build at a time: asking again
 * while one builds, or minutes after the last was made, answers with that one); the job reads every feature's part of her data in keyset batches, keeps the
 * archive compressed, and mails her that it is ready. Only she can download it, for seven days.
 */
@Injectable()
export class AccountExportService {
  private readonly logger = new Logger('AccountExport');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    private readonly registry: MemberDataRegistry,
    private readonly members: MemberRecord,
  ) {
    jobs.define<ExportJob>(
      EXPORT_QUEUE,
      { retryLimit: RETRIES, retryDelaySeconds: 5, expireInSeconds: 600 },
      (data, job) => this.build(data, job.retryCount),
    );
  }

  async request(userId: string): Promise<ExportStatus> {
    await this.db.transaction(async (m) => {
      const started = (await m.query(
        `INSERT INTO account_exports (user_id, request_id, status, requested_at)
         VALUES ($1, gen_random_uuid(), 'building', $2)
         ON CONFLICT (user_id) DO UPDATE
            SET request_id = gen_random_uuid(), status = 'building', requested_at = $2, archive = NULL,
                ready_at = NULL, expires_at = NULL
          WHERE account_exports.status <> 'building'
            AND NOT (account_exports.status = 'ready' AND account_exports.ready_at > $3)
         RETURNING request_id AS "requestId"`,
        [userId, this.clock.date(), new Date(this.clock.now() - FRESH_MS)],
      )) as Array<{ requestId: string }>;
      if (started[0]) await this.jobs.send(m, EXPORT_QUEUE, { userId, requestId: started[0].requestId });
    });
    return this.status(userId);
  }

  async status(userId: string): Promise<ExportStatus> {
    const rows = (await this.db.query(
      `SELECT status, expires_at AS "expiresAt" FROM account_exports WHERE user_id = $1`,
      [userId],
    )) as Array<{ status: string; expiresAt: Date | null }>;
    const row = rows[0];
    if (!row || row.status === 'failed') return { status: 'none' };
    if (row.status === 'building') return { status: 'building' };
    const expiresAt = row.expiresAt!.toISOString();
    if (row.expiresAt!.getTime() <= this.clock.now()) return { status: 'expired', expiresAt };
    return { status: 'ready', url: `${this.config.mail.publicUrl}/api/me/export/file`, expiresAt };
  }

  /** Her archive as JSON text, while it lasts; 404 when there is none (or it expired). */
  async file(userId: string): Promise<{ json: string; filename: string }> {
    const rows = (await this.db.query(
      `SELECT archive, ready_at AS "readyAt" FROM account_exports
        WHERE user_id = $1 AND status = 'ready' AND archive IS NOT NULL AND expires_at > $2`,
      [userId, this.clock.date()],
    )) as Array<{ archive: Buffer; readyAt: Date }>;
    if (!rows[0]) throw notFound('Export');
    const day = rows[0].readyAt.toISOString().slice(0, 10);
    return { json: gunzipSync(rows[0].archive).toString('utf8'), filename: `haven-data-${day}.json` };
  }

  /** Drops archives past their days (the hourly sweep): nothing of hers is kept longer than she was told. */
  async dropExpired(): Promise<void> {
    await this.db.query(`UPDATE account_exports SET archive = NULL WHERE expires_at <= $1 AND archive IS NOT NULL`, [
      this.clock.date(),
    ]);
  }

  private async build({ userId, requestId }: ExportJob, retryCount: number): Promise<void> {
    if (!(await this.isCurrent(userId, requestId))) return;
    try {
      const archive = gzipSync(JSON.stringify(await this.collect(userId), null, 2));
      await this.finish(userId, requestId, archive);
    } catch (err) {
      if (retryCount < RETRIES) throw err;
      this.logger.warn(`export ${requestId} failed for good: ${(err as Error).message}`);
      await this.db.query(`UPDATE account_exports SET status = 'failed' WHERE user_id = $1 AND request_id = $2`, [
        userId,
        requestId,
      ]);
    }
  }

  private async isCurrent(userId: string, requestId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM account_exports WHERE user_id = $1 AND request_id = $2 AND status = 'building'`,
      [userId, requestId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Her profile, then each feature's section, read in keyset batches by the feature that owns it. */
  private async collect(userId: string): Promise<Record<string, unknown>> {
    const profile = await this.members.profile(userId);
    if (!profile) throw new Error('the member is gone');
    const archive: Record<string, unknown> = {
      format: 'haven-member-data/1',
      exportedAt: this.clock.date().toISOString(),
      profile,
    };
    for (const part of this.registry.all()) {
      if (!part.exportBatch) continue;
      const rows: ExportRow[] = [];
      let after: string | null = null;
      for (;;) {
        const batch = await part.exportBatch(userId, after, EXPORT_BATCH);
        rows.push(...batch);
        if (batch.length < EXPORT_BATCH) break;
        after = batch[batch.length - 1].id;
      }
      archive[part.section] = rows;
    }
    return archive;
  }

  /** Ready, and the mail that says so, in one transaction (only if no newer request replaced this one). */
  private async finish(userId: string, requestId: string, archive: Buffer): Promise<void> {
    const expiresAt = new Date(this.clock.now() + EXPORT_DAYS * DAY_MS);
    const to = await this.members.profile(userId);
    if (!to) return;
    await this.db.transaction(async (m) => {
      const done = (await m.query(
        `UPDATE account_exports SET status = 'ready', archive = $3, ready_at = $4, expires_at = $5
          WHERE user_id = $1 AND request_id = $2 AND status = 'building' RETURNING user_id`,
        [userId, requestId, archive, this.clock.date(), expiresAt],
      )) as [unknown[], number];
      if (done[0].length === 0) return;
      await this.mail.queue(m, {
        key: `export:${requestId}`,
        to: to.email,
        userId,
        kind: 'account',
        content: {
          subject: 'Your Haven data is ready to download',
          greeting: `Hello ${to.displayName},`,
          paragraphs: [
            'You asked for a copy of your data on Haven. It is ready.',
            `Sign in and download it from your settings. It can be downloaded until ${expiresAt.toUTCString()}; after that it is deleted, and you can ask for a new one at any time.`,
          ],
          action: { label: 'Download my data', url: `${this.config.mail.publicUrl}/settings/account` },
          after: ['If you did not ask for this, please change your password: someone may be using your account.'],
        },
      });
    });
  }
}
