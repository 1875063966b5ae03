import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, pageLimit, type PageQueryDto, toPage } from '../common/pagination';
import type { MailKind, MailStatus } from './mail.constants';

export interface OutboxEntry {
  id: string;
  to: string;
  kind: MailKind;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxMessage extends OutboxEntry {
  messageId: string;
  headers: Record<string, string>;
  /** Null once SMTP accepted the message (bodies are kept only in the local outbox). */
  text: string | null;
  html: string | null;
}

const ENTRY_COLUMNS = `id, to_address AS "to", kind, subject, status, attempts, last_error AS "lastError",
  created_at AS "createdAt", sent_at AS "sentAt"`;

/** What the admin page reads of the outbox: newest first, one message in full. */
@Injectable()
export class OutboxReader {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: PageQueryDto): Promise<Page<OutboxEntry>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = (await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM mail_messages
        WHERE ($1::bigint IS NULL OR id < $1::bigint)
        ORDER BY id DESC LIMIT $2`,
      [after?.[0] ?? null, limit + 1],
    )) as OutboxEntry[];
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => [row.id],
    );
  }

  async get(id: string): Promise<OutboxMessage | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const [row] = (await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS}, message_id AS "messageId", headers, text_body AS "text", html_body AS "html"
         FROM mail_messages WHERE id = $1`,
      [id],
    )) as OutboxMessage[];
    return row ?? null;
  }
}
