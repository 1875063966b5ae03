import { Module } from '@nestjs/common';
import { CommentsModule } from '../../comments/comments.module';
import { LibraryModule } from '../../library/library.module';
import { SubscriptionsModule } from '../../subscriptions/subscriptions.module';
import { CaptchaFormsModule } from '../account/captcha-forms.module';
import { ArticlePage } from './article-page';
import { ArticlePagesController } from './article-pages.controller';
import { CommentEditPage } from './comment-edit-page';
import { CommentEditPagesController } from './comment-edit-pages.controller';

/** Article pages: text, reviewer and disclaimer, "Rate This", comments with guests' captcha. */
@Module({
  imports: [CommentsModule, CaptchaFormsModule, SubscriptionsModule, LibraryModule],
  controllers: [ArticlePagesController, CommentEditPagesController],
  providers: [ArticlePage, CommentEditPage],
})
export class ArticlePagesModule {}
