import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { HTML_ERROR_PAGE } from '../../common/errors/all-exceptions.filter';
import { UsersModule } from '../../users/users.module';
import { LibraryModule } from '../../library/library.module';
import { ConversationsModule } from '../../conversations/conversations.module';
import { CrisisLines } from '../site/crisis-lines';
import { Csrf } from './csrf';
import { ModeratorPresence } from './moderator-presence';
import { Pages } from './pages';
import { WebExceptionFilter } from './web-exception.filter';
import { WebSession } from './web-session';
import { WebGuard } from './web.guard';

/** What every page feature shares: the session cookie, CSRF, rendering in the layout, errors as pages. */
@Global()
@Module({
  imports: [AuthModule, UsersModule, LibraryModule, ConversationsModule],
  providers: [
    Csrf,
    Pages,
    ModeratorPresence,
    CrisisLines,
    WebSession,
    WebGuard,
    WebExceptionFilter,
    { provide: HTML_ERROR_PAGE, useExisting: WebExceptionFilter },
  ],
  exports: [Csrf, Pages, WebSession, WebGuard, WebExceptionFilter, HTML_ERROR_PAGE],
})
export class WebCoreModule {}
