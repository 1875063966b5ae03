import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import { addressHash } from './address';
import { MAIL_QUEUE, type MailKind } from './mail.constants';
import { type MailContent, MailRenderer } from './mail-content';
import { type UnsubscribeTarget, UnsubscribeLinks } from './unsubscribe';

export interface OutgoingMail {
  /** One message per key, ever: `verify:<tokenId>`, `digest:daily:2026-12-04:<subscriberId>`. */
  key: string;
  to: string;
  /** The member it is for, if any (her mail goes when her account goes). */
  userId?: string | null;
  kind: MailKind;
  content: MailContent;
  /** Required for every kind but `account`: what the one-click unsubscribe stops. */
  unsubscribe?: UnsubscribeTarget;
}

export type QueueOutcome = 'queued' | 'duplicate' | 'suppressed';

/**
 * The one way to send mail: `queue` writes the rendered message and its send job in the caller's transaction, so
 * a mail exists exactly when the change that causes it commits, and a request never waits on SMTP. The worker
 * (mail-sender.ts) delivers it.
 */
@Injectable()
export class MailOutbox {
  private readonly renderer = new MailRenderer();
  private readonly domain: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: Jobs,
    private readonly links: UnsubscribeLinks,
  ) {
    this.domain = /@([^\s@>]+)>?\s*$/.exec(config.mail.from)?.[1] ?? 'haven.localhost';
  }

  async queue(manager: EntityManager, mail: OutgoingMail): Promise<QueueOutcome> {
    if (mail.kind !== 'account' && !mail.unsubscribe) {
      throw new Error(`A "${mail.kind}" mail needs an unsubscribe target (key ${mail.key})`);
    }
    const hash = addressHash(this.config.comments.ipHashSecret, mail.to);
    if (await this.isSuppressed(manager, hash, mail.kind)) return 'suppressed';
    const rendered = this.renderer.render(mail.content, mail.unsubscribe ? this.links.pageUrl(mail.unsubscribe) : null);
    const headers: Record<string, string> = mail.unsubscribe
      ? {
          'List-Unsubscribe': `<${this.links.oneClickUrl(mail.unsubscribe)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {};
    if (mail.kind !== 'account') headers['Auto-Submitted'] = 'auto-generated';
    const messageId = `<${randomBytes(16).toString('hex')}@${this.domain}>`;
    const inserted = (await manager.query(
      `INSERT INTO mail_messages (key, message_id, user_id, to_address, address_hash, kind, subject, text_body,
                                  html_body, headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (key) DO NOTHING
       RETURNING id`,
      [
        mail.key,
        messageId,
        mail.userId ?? null,
        mail.to.trim(),
        hash,
        mail.kind,
        mail.content.subject.slice(0, 300),
        rendered.text,
        rendered.html,
        JSON.stringify(headers),
      ],
    )) as Array<{ id: string }>;
    if (inserted.length === 0) return 'duplicate';
    await this.jobs.send(manager, MAIL_QUEUE, { id: inserted[0].id });
    return 'queued';
  }

  /**
   * Many mails at once (a digest run's batch), in the caller's transaction: one statement to check suppressions, one
   * to insert the messages and one to queue their send jobs, whatever the batch's size. Outcomes in input order.
   */
  async queueMany(manager: EntityManager, mails: OutgoingMail[]): Promise<QueueOutcome[]> {
    if (mails.length === 0) return [];
    for (const mail of mails) {
      if (mail.kind !== 'account' && !mail.unsubscribe) {
        throw new Error(`A "${mail.kind}" mail needs an unsubscribe target (key ${mail.key})`);
      }
    }
    const hashes = mails.map((m) => addressHash(this.config.comments.ipHashSecret, m.to));
    const suppressed = (await manager.query(
      `SELECT address_hash AS hash, bool_or(scope = 'all') AS "all" FROM mail_suppressions
        WHERE address_hash = ANY($1::varchar[]) GROUP BY address_hash`,
      [[...new Set(hashes)]],
    )) as Array<{ hash: string; all: boolean }>;
    const stopped = new Map(suppressed.map((r) => [r.hash, r.all]));
    const outcomes: QueueOutcome[] = mails.map((m, i) =>
      stopped.has(hashes[i]) && (stopped.get(hashes[i]) || m.kind === 'notice') ? 'suppressed' : 'duplicate',
    );
    const rows = mails.flatMap((mail, i) => (outcomes[i] === 'suppressed' ? [] : [this.row(mail, hashes[i])]));
    if (rows.length === 0) return outcomes;
    const column = (k: keyof (typeof rows)[number]) => rows.map((r) => r[k]);
    const inserted = (await manager.query(
      `INSERT INTO mail_messages (key, message_id, user_id, to_address, address_hash, kind, subject, text_body,
                                  html_body, headers)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::varchar[], $5::varchar[], $6::varchar[],
                            $7::varchar[], $8::text[], $9::text[], $10::jsonb[])
       ON CONFLICT (key) DO NOTHING
       RETURNING id, key`,
      [
        column('key'),
        column('messageId'),
        column('userId'),
        column('to'),
        column('hash'),
        column('kind'),
        column('subject'),
        column('text'),
        column('html'),
        column('headers'),
      ],
    )) as Array<{ id: string; key: string }>;
    const queued = new Set(inserted.map((r) => r.key));
    await this.jobs.sendMany(
      manager,
      MAIL_QUEUE,
      inserted.map((r) => ({ id: r.id })),
    );
    return mails.map((m, i) =>
      outcomes[i] === 'suppressed' ? 'suppressed' : queued.has(m.key) ? 'queued' : 'duplicate',
    );
  }

  private row(mail: OutgoingMail, hash: string) {
    const rendered = this.renderer.render(mail.content, mail.unsubscribe ? this.links.pageUrl(mail.unsubscribe) : null);
    const headers: Record<string, string> = mail.unsubscribe
      ? {
          'List-Unsubscribe': `<${this.links.oneClickUrl(mail.unsubscribe)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {};
    if (mail.kind !== 'account') headers['Auto-Submitted'] = 'auto-generated';
    return {
      key: mail.key,
      messageId: `<${randomBytes(16).toString('hex')}@${this.domain}>`,
      userId: mail.userId ?? null,
      to: mail.to.trim(),
      hash,
      kind: mail.kind,
      subject: mail.content.subject.slice(0, 300),
      text: rendered.text,
      html: rendered.html,
      headers: JSON.stringify(headers),
    };
  }

  /** A hard bounce stops everything to the address; an unsubscribe from notices stops only notices. */
  async isSuppressed(manager: EntityManager, hash: string, kind: MailKind): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM mail_suppressions WHERE address_hash = $1 AND (scope = 'all' OR (scope = 'notice' AND $2))`,
      [hash, kind === 'notice'],
    )) as unknown[];
    return rows.length > 0;
  }

  async suppress(manager: EntityManager, hash: string, scope: 'all' | 'notice', reason: string): Promise<void> {
    await manager.query(
      `INSERT INTO mail_suppressions (address_hash, scope, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [hash, scope, reason],
    );
  }
}
