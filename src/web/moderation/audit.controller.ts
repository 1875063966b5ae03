import { Get, Query } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { PageQueryDto } from '../../common/pagination';
import { type AuditDetails, AuditService } from '../../moderation/audit/audit.service';
import { validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { chrome, pageHref } from './moderation-web';

/** The append-only audit log, newest first: every moderator and admin action, who, what, on what, and why. */
@WebController('mod/audit')
@Roles('moderator')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Page('moderation/audit', { noindex: true })
  async show(@CurrentUser() me: Principal, @Query('cursor') cursor?: string) {
    const query = await validated(PageQueryDto, { limit: 50, cursor: typeof cursor === 'string' ? cursor : undefined });
    const page = await this.audit.list(query);
    return view('Audit log', {
      ...chrome('audit', me),
      entries: page.items.map((e) => ({ ...e, detailsText: detailsText(e.details) })),
      firstHref: query.cursor ? '/mod/audit' : null,
      nextHref: page.nextCursor ? pageHref('/mod/audit', { cursor: page.nextCursor }) : null,
    });
  }
}

/** `pattern: hope · action: hold`: what the entry was about, as recorded then ("none" for an empty value). */
function detailsText(details: AuditDetails | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${value === null || value === '' ? 'none' : String(value)}`)
    .join(' · ');
}
