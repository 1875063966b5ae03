import { Get, Inject, Ip, Param, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { forbidden, notFound, unauthenticated } from '../../common/errors/domain-error';
import { PageQueryDto } from '../../common/pagination';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { mayReadOutbox, outboxOpenLocally } from '../../mail/outbox-access';
import { OutboxReader } from '../../mail/outbox-reader';
import { readerZone } from '../core/dates';
import { validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { rawDocument, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';

const STATUS_TEXT: Record<string, string> = {
  queued: 'waiting to be sent',
  sending: 'being sent',
  sent: 'sent',
  kept: 'kept here (no SMTP server is set up)',
  bounced: 'refused by the receiving server',
  suppressed: 'not sent: the address stopped this mail',
  failed: 'not sent: gave up after retries',
};

/**
 * The mail this server sent or keeps: for admins, and, on a trial server without SMTP (not in production), for
 * someone at the machine itself, so a password reset works before any mail is set up (mail/outbox-access.ts).
 */
@WebController('admin/mail')
export class MailPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxReader,
  ) {}

  @Get()
  @Page('admin/mail', { noindex: true })
  async list(@Ip() ip: string, @CurrentUser() me?: Principal, @Query('cursor') cursor?: string) {
    this.assertMayRead(me, ip);
    const query = await validated(PageQueryDto, { limit: 50, cursor: typeof cursor === 'string' ? cursor : undefined });
    const page = await this.outbox.list(query);
    return view('Mail', {
      local: outboxOpenLocally(this.config),
      messages: page.items.map((m) => ({
        ...m,
        when: readerZone(me).fullTime(m.createdAt),
        statusText: STATUS_TEXT[m.status],
      })),
      firstHref: query.cursor ? '/admin/mail' : null,
      nextHref: page.nextCursor ? `/admin/mail?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    });
  }

  @Get(':id')
  @Page('admin/mail-message', { noindex: true })
  async show(@Param('id') id: string, @Ip() ip: string, @CurrentUser() me?: Principal) {
    this.assertMayRead(me, ip);
    const message = await this.outbox.get(id);
    if (!message) throw notFound('Mail');
    return view(message.subject, {
      message: {
        ...message,
        when: readerZone(me).fullTime(message.createdAt),
        statusText: STATUS_TEXT[message.status],
      },
      textParts: message.text ? linkify(message.text, this.config.mail.publicUrl) : null,
      unsubscribe: message.headers['List-Unsubscribe'] ?? null,
    });
  }

  /** The HTML part on its own, as a mail program would show it: no scripts, no requests, sandboxed. */
  @Get(':id/html')
  async html(@Param('id') id: string, @Ip() ip: string, @CurrentUser() me?: Principal) {
    this.assertMayRead(me, ip);
    const message = await this.outbox.get(id);
    if (!message?.html) throw notFound('Mail');
    return rawDocument(message.html, 'text/html; charset=utf-8', {
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
      'Cache-Control': 'no-store',
    });
  }

  private assertMayRead(me: Principal | undefined, ip: string): void {
    if (mayReadOutbox(this.config, me?.role, ip)) return;
    if (!me) throw unauthenticated('Please sign in as an admin to see the mail this server sent');
    throw forbidden('Only an admin may see the mail this server sent');
  }
}

/** The text part in pieces, its links to this site made clickable (the page escapes everything else). */
function linkify(text: string, publicUrl: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = match[0];
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at) });
    parts.push(url.startsWith(`${publicUrl}/`) ? { text: url, href: url } : { text: url });
    last = at + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
