import { applyDecorators, Controller, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ChargedByPageGuard } from '../../common/rate-limit/request-budget';
import { ShowsPages } from './page.decorator';
import { WebExceptionFilter } from './web-exception.filter';
import { MEMBERS_ONLY_KEY, WebGuard } from './web.guard';

/**
 * A controller of web pages: served at the root (not under /api), known by its session cookie rather than a
 * bearer token (WebGuard, which also charges the request budget), its handlers' Views and Redirects shown by Pages
 * (ShowsPages, `@Page()`), its errors shown as pages (WebExceptionFilter), left out of the API docs.
 */
export function WebController(path = ''): ClassDecorator {
  return applyDecorators(
    Controller(path),
    Public(),
    ChargedByPageGuard(),
    UseGuards(WebGuard),
    ShowsPages(),
    UseFilters(WebExceptionFilter),
    ApiExcludeController(),
  );
}

/** Only signed-in members (guests are sent to sign in and brought back). Use `@Roles()` for moderators. */
export const MembersOnly = () => SetMetadata(MEMBERS_ONLY_KEY, true);
