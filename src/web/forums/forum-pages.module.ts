import { Module } from '@nestjs/common';
import { ForumsModule } from '../../forums/forums.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { SubscriptionsModule } from '../../subscriptions/subscriptions.module';
import { ForumPagesController } from './forum-pages.controller';
import { ReportPagesController } from './report-pages.controller';
import { SearchPagesController } from './search-pages.controller';
import { ThreadPagesController } from './thread-pages.controller';
import { ThreadPage } from './thread-page';
import { PostEditPage } from './post-edit-page';
import { PostEditPagesController } from './post-edit-pages.controller';
import { ThreadModerationPage } from './thread-moderation-page';
import { ThreadModerationPagesController } from './thread-moderation-pages.controller';

/**
 * The forums in a browser: the home page, categories, threads with replies, reactions and quoting, starting a
 * thread, reporting a post, search. Every page reads and works without JavaScript; forms post, then redirect.
 */
@Module({
  imports: [ForumsModule, ModerationModule, SubscriptionsModule],
  controllers: [
    ForumPagesController,
    ThreadPagesController,
    ReportPagesController,
    SearchPagesController,
    PostEditPagesController,
    ThreadModerationPagesController,
  ],
  providers: [ThreadPage, PostEditPage, ThreadModerationPage],
})
export class ForumPagesModule {}
