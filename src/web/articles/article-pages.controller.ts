import { Body, Get, HttpCode, Inject, Ip, Param, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { CommentsService } from '../../comments/comments/comments.service';
import { CreateCommentDto, PageKeyParams, RatingDto } from '../../comments/dto';
import { RatingsService } from '../../comments/ratings/ratings.service';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { CaptchaForms, wantsNewPicture } from '../account/captcha-forms';
import { refusal, type Refusal } from '../account/refusal';
import { checked, field, optional, problemsOf, validated, validatedAll } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { ArticlePage, type CommentForm, EMPTY_FORM, needsCaptcha } from './article-page';

const LABELS: Record<string, string> = {
  body: 'Your comment',
  authorName: 'Your name',
  acceptTerms: 'The community guidelines',
  parentId: 'The comment you are replying to',
  website: 'This form',
  stars: 'Your rating',
};

/**
 * An article page: its text (or a link to it), reviewer and disclaimer, "Rate This" for members, and its comments
 * with "Add a comment" (guests give a name, accept the guidelines and pass the captcha). Held comments come back
 * with a kind word that a moderator will read them first.
 */
@WebController('articles')
export class ArticlePagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly page: ArticlePage,
    private readonly comments: CommentsService,
    private readonly ratings: RatingsService,
    private readonly captcha: CaptchaForms,
  ) {}

  @Get(':key')
  @Page('articles/article')
  async article(
    @Ip() ip: string,
    @Param('key') rawKey: string,
    @Query() query: Record<string, unknown>,
    @CurrentUser() me?: Principal,
  ) {
    const replyTo = typeof query.replyTo === 'string' && /^\d{1,18}$/.test(query.replyTo) ? query.replyTo : '';
    const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;
    const support = query.support === '1';
    return this.page.view(
      ip,
      await this.key(rawKey),
      me,
      { ...EMPTY_FORM, parentId: replyTo },
      cursor,
      undefined,
      support,
    );
  }

  @Post(':key/comments')
  @HttpCode(200)
  @Page('articles/article')
  async comment(
    @Ip() ip: string,
    @Param('key') rawKey: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me?: Principal,
  ) {
    const key = await this.key(rawKey);
    const typed: CommentForm = {
      body: field(body, 'body'),
      authorName: field(body, 'authorName'),
      acceptTerms: checked(body, 'acceptTerms'),
      parentId: field(body, 'parentId'),
      captchaKind: this.captcha.kind(body),
      shownAt: field(body, 'shownAt'),
    };
    if (wantsNewPicture(body)) return this.page.view(ip, key, me, { ...typed, captchaKind: 'image' });
    try {
      const input = await validatedAll(
        CreateCommentDto,
        {
          body: typed.body,
          parentId: optional(body, 'parentId'),
          authorName: me ? undefined : optional(body, 'authorName'),
          acceptTerms: me ? undefined : typed.acceptTerms,
          captcha: this.needsCaptcha(me) ? this.captcha.answer(body) : undefined,
          website: optional(body, 'website'),
        },
        commentChecks(typed, me, this.needsCaptcha(me) && !this.captcha.answer(body)),
        COMMENT_ORDER,
      );
      const created = await this.comments.create(me, key, input, ip, typed.shownAt);
      // Support lines the gate asks us to show the author (crisis words) are longer than a flash: the page shows them.
      const support = created.notice ? '?support=1' : '';
      if (created.status === 'pending') {
        return redirect(
          `/articles/${key}${support}#comment-thanks`,
          'Thank you for your comment. It will appear here once a moderator has read it.',
        );
      }
      // The thanks beside the form, where the page lands; the comment is listed just above it.
      return redirect(`/articles/${key}${support}#comment-thanks`, 'Your comment is posted. Thank you.');
    } catch (err) {
      const problem = refusal(err, LABELS, this.needsCaptcha(me) ? typed.captchaKind : undefined);
      if (problemsOf(problem).some((p) => p.field === 'parentId')) {
        // The comment replied to is gone (deleted, hidden, or never here): offer the words as a new comment.
        typed.parentId = '';
        return this.page.view(ip, key, me, typed, undefined, replyGone(problem));
      }
      return this.page.view(ip, key, me, typed, undefined, problem);
    }
  }

  @Post(':key/rating')
  @MembersOnly()
  @HttpCode(200)
  @Page('articles/article')
  async rate(
    @Ip() ip: string,
    @Param('key') rawKey: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const key = await this.key(rawKey);
    const stars = field(body, 'stars');
    try {
      const input = await validated(RatingDto, { stars: /^\d$/.test(stars) ? Number(stars) : undefined });
      await this.ratings.rate(me, key, input.stars);
      return redirect(`/articles/${key}#rate-thanks`, 'Thank you for rating this article.');
    } catch (err) {
      const problem = refusal(err, LABELS);
      const message = 'Please choose from 1 to 5 stars, then “Send my rating”.';
      return this.page.view(ip, key, me, EMPTY_FORM, undefined, {
        ...problem,
        message,
        problems: [{ field: 'stars', message }],
        field: 'stars',
      });
    }
  }

  private needsCaptcha(me: Principal | undefined): boolean {
    return needsCaptcha(this.config, me);
  }

  /** A key that cannot be a page's is simply not found. */
  private async key(raw: string): Promise<string> {
    try {
      return (await validated(PageKeyParams, { key: raw })).key;
    } catch {
      throw notFound('Page');
    }
  }
}

/** The comment form's fields, top to bottom: the error summary lists its problems in this order. */
const COMMENT_ORDER = ['body', 'authorName', 'acceptTerms', 'captcha'];

/**
 * The page's own checks of a comment, listed with the DTO's problems: an empty one, a guest's name and terms, and a
 * captcha left unanswered (the service checks an answer).
 */
function commentChecks(typed: CommentForm, me: Principal | undefined, noCaptcha: boolean): string[] {
  return [
    ...(typed.body.trim() ? [] : ['body is empty: please write something before sending']),
    ...(me || typed.authorName.trim() ? [] : ['authorName is required: the name to show with your comment']),
    ...(me || typed.acceptTerms ? [] : ['acceptTerms must be accepted to comment as a guest']),
    ...(noCaptcha ? ['captcha needs an answer'] : []),
  ];
}

/** A reply to a comment that is gone: its words are offered as a new comment, with the form's other problems. */
function replyGone(problem: Refusal): Refusal {
  const message = 'The comment you replied to is no longer shown. You can send your words as a new comment.';
  const problems = [
    { field: 'body', message },
    ...problemsOf(problem).filter((p) => p.field !== 'parentId' && p.field !== 'body'),
  ];
  return { ...problem, problems, message, field: 'body' };
}
