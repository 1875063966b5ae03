import { Module } from '@nestjs/common';
import { AccountPagesModule } from './account/account-pages.module';
import { AdminPagesModule } from './admin/admin-pages.module';
import { ArticlePagesModule } from './articles/article-pages.module';
import { ChatPagesModule } from './chat/chat-pages.module';
import { ConversationPagesModule } from './conversations/conversation-pages.module';
import { WebCoreModule } from './core/web-core.module';
import { ForumPagesModule } from './forums/forum-pages.module';
import { JournalPagesModule } from './journal/journal-pages.module';
import { ModerationPagesModule } from './moderation/moderation-pages.module';
import { SetupPagesModule } from './setup/setup-pages.module';
import { SitePagesModule } from './site/site-pages.module';
import { StoryPagesModule } from './stories/stories-pages.module';
import { SubscriptionPagesModule } from './subscriptions/subscription-pages.module';

/**
 * Haven in a browser: server-rendered pages at the root of the site (the JSON API lives under /api). Each area
 * stands on the same services the API uses, never on HTTP calls to itself.
 */
@Module({
  imports: [
    WebCoreModule,
    SitePagesModule,
    ForumPagesModule,
    AccountPagesModule,
    ArticlePagesModule,
    ChatPagesModule,
    ConversationPagesModule,
    ModerationPagesModule,
    AdminPagesModule,
    SubscriptionPagesModule,
    SetupPagesModule,
    StoryPagesModule,
    JournalPagesModule,
  ],
})
export class WebModule {}
