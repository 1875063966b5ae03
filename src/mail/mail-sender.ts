import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import { MAIL_QUEUE } from './mail.constants';
import { MailOutbox } from './outbox';

interface Claimed {
  id: string;
  messageId: string;
  toAddress: string;
  addressHash: string;
  kind: 'account' | 'notice' | 'notification' | 'digest' | 'subscription';
  subject: string;
  textBody: string;
  htmlBody: string;
  headers: Record<string, string>;
}

type Transport = ReturnType<typeof createTransport>;

/**
 * The mail worker: takes one queued message at a time, claims it (so two workers never send it at once, and a
 * claim left by a dead process lapses), and hands it to SMTP, or keeps it in the local outbox when there is no
 * SMTP_URL. A temporary failure (network, 4xx) is retried by the queue with growing waits; a permanent refusal
 * (5xx) stops mail to that address. The Message-ID is the one written when the mail was queued, so a retry after an
 * accepted send reaches the receiver as the same message.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transport | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: MailOutbox,
    jobs: Jobs,
  ) {
    const timeoutMs = config.mail.sendTimeoutSeconds * 1000;
    this.transport = config.mail.smtpUrl
      ? createTransport({
          url: config.mail.smtpUrl,
          pool: true,
          maxConnections: 4,
          connectionTimeout: Math.min(timeoutMs, 30_000),
          greetingTimeout: Math.min(timeoutMs, 30_000),
          socketTimeout: timeoutMs,
          logger: false,
        } as Parameters<typeof createTransport>[0] & { pool: true })
      : null;
    jobs.define<{ id: string }>(
      MAIL_QUEUE,
      {
        retryLimit: config.mail.retryLimit,
        retryDelaySeconds: config.mail.retryDelaySeconds,
        // Past the send timeout the try is over; past twice that, its worker is gone and the queue hands the job on.
        expireInSeconds: config.mail.sendTimeoutSeconds * 2 + 5,
        concurrency: this.transport ? 4 : 1,
        batchSize: 10,
      },
      (data, job) => this.deliver(data.id, job.retryCount),
    );
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  async deliver(id: string, retryCount: number): Promise<void> {
    const mail = await this.claim(id);
    if (!mail) return;
    if (await this.outbox.isSuppressed(this.dataSource.manager, mail.addressHash, mail.kind)) {
      await this.finish(id, 'suppressed', null);
      return;
    }
    if (!this.transport) {
      await this.finish(id, 'kept', null);
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      await this.finish(id, 'sent', null);
      this.logger.log(`mail ${id} (${mail.kind}) sent to address ${mail.addressHash.slice(0, 12)}`);
    } catch (error) {
      const code = smtpCode(error);
      const command = (error as { command?: unknown } | null)?.command;
      if (code !== null && code >= 500 && command === 'RCPT TO') {
        // A hard bounce: this address does not take mail. Nothing more goes to it.
        await this.outbox.suppress(this.dataSource.manager, mail.addressHash, 'all', `bounce ${code}`);
        await this.finish(id, 'bounced', String(code));
        this.logger.warn(`mail ${id} bounced (${code}); address ${mail.addressHash.slice(0, 12)} suppressed`);
        return;
      }
      if (code !== null && code >= 500 && command === 'DATA') {
        // This message was refused for good (its content); the address stays open for others.
        await this.finish(id, 'failed', String(code));
        this.logger.warn(`mail ${id} refused for good (${code})`);
        return;
      }
      const reason = code !== null ? String(code) : errorCode(error);
      const last = retryCount >= this.config.mail.retryLimit;
      await this.finish(id, last ? 'failed' : 'queued', reason);
      this.logger.warn(`mail ${id} not sent (${reason}); ${last ? 'out of retries' : 'will retry'}`);
      throw new Error(`mail ${id} not sent: ${reason}`);
    }
  }

  /** Takes the message for this worker, unless it is done or another live worker holds it (then retry later). */
  private async claim(id: string): Promise<Claimed | null> {
    const claimed = (await this.dataSource.query(
      `UPDATE mail_messages
          SET status = 'sending', attempts = attempts + 1,
              claimed_until = now() + make_interval(secs => $2)
        WHERE id = $1
          AND (status = 'queued' OR (status = 'sending' AND claimed_until < now()))
        RETURNING id, message_id AS "messageId", to_address AS "toAddress", address_hash AS "addressHash", kind,
                  subject, text_body AS "textBody", html_body AS "htmlBody", headers`,
      [id, this.config.mail.sendTimeoutSeconds + 5],
    )) as [Claimed[], number];
    const row = claimed[0][0];
    if (row) return row;
    const [current] = (await this.dataSource.query(`SELECT status FROM mail_messages WHERE id = $1`, [id])) as Array<{
      status: string;
    }>;
    if (current?.status === 'sending') throw new Error(`mail ${id} is being sent by another worker`);
    return null;
  }

  private async finish(
    id: string,
    status: 'sent' | 'kept' | 'bounced' | 'suppressed' | 'queued' | 'failed',
    error: string | null,
  ) {
    // Once SMTP has it, the bodies (with links that act on the account) are not kept; the outbox keeps them.
    await this.dataSource.query(
      `UPDATE mail_messages
          SET status = $2::varchar, last_error = $3, claimed_until = NULL,
              sent_at = CASE WHEN $2::varchar IN ('sent', 'kept') THEN now() ELSE sent_at END,
              text_body = CASE WHEN $2::varchar = 'sent' THEN NULL ELSE text_body END,
              html_body = CASE WHEN $2::varchar = 'sent' THEN NULL ELSE html_body END
        WHERE id = $1`,
      [id, status, error],
    );
  }
}

/** The SMTP reply code of a refusal (nodemailer's `responseCode`), or null for network errors. */
function smtpCode(error: unknown): number | null {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : null;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'error';
}
