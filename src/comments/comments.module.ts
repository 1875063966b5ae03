import { Module } from '@nestjs/common';
import { CaptchaModule } from '../captcha/captcha.module';
import { CommentMailReads } from './comment-mail-reads';
import { CommentModeration } from './comment-moderation';
import { CommentsController } from './comments.controller';
import { CommentEditsService } from './comments/comment-edits.service';
import { CommentsService } from './comments/comments.service';
import { CommentFormStamps } from './comments/form-stamps';
import { PagesService } from './pages/pages.service';
import { RatingsService } from './ratings/ratings.service';
import { StarterPage } from './starter-page';
import { CommentMemberData } from './comment-member-data';

/** Article pages, their comments (guests with captcha, members) and ratings. Stands on captcha, users, common. */
@Module({
  imports: [CaptchaModule],
  controllers: [CommentsController],
  providers: [
    PagesService,
    CommentsService,
    RatingsService,
    CommentModeration,
    StarterPage,
    CommentMemberData,
    CommentMailReads,
    CommentFormStamps,
    CommentEditsService,
  ],
  exports: [PagesService, CommentsService, RatingsService, CommentMailReads, CommentFormStamps, CommentEditsService],
})
export class CommentsModule {}
