import { Inject, Injectable } from '@nestjs/common';
import { CommentsService, type CommentView } from '../../comments/comments/comments.service';
import { CommentFormStamps } from '../../comments/comments/form-stamps';
import { PagesService } from '../../comments/pages/pages.service';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { SubscriptionsService } from '../../subscriptions/subscriptions.service';
import { CaptchaForms } from '../account/captcha-forms';
import { readerZone } from '../core/dates';
import type { Refusal } from '../account/refusal';
import { view } from '../core/page-result';
import { ArticlesService } from '../../library/articles.service';
import { articleHeader } from './article-header';

const COMMENTS_PER_PAGE = 20;

/** What the comment form shows again after a refusal. */
export interface CommentForm {
  body: string;
  authorName: string;
  acceptTerms: boolean;
  parentId: string;
  captchaKind?: 'image' | 'pow';
  /** The signed time the form was first shown (kept when it is shown again after a refusal). */
  shownAt?: string;
}

export const EMPTY_FORM: CommentForm = { body: '', authorName: '', acceptTerms: false, parentId: '' };

/** Guests always pass a captcha to comment; members when the config says so. */
export function needsCaptcha(config: AppConfig, me: Principal | undefined): boolean {
  return !me || config.comments.captchaForMembers;
}

/**
 * The view model of an article page (template articles/article): its text, a page of comments, the comment form
 * (with a fresh captcha when one is needed), a refusal of the comment or of a rating, and crisis support lines.
 */
@Injectable()
export class ArticlePage {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly articles: PagesService,
    private readonly comments: CommentsService,
    private readonly captcha: CaptchaForms,
    private readonly subscriptions: SubscriptionsService,
    private readonly stamps: CommentFormStamps,
    private readonly clock: Clock,
    private readonly library: ArticlesService,
  ) {}

  async view(
    ip: string,
    key: string,
    me: Principal | undefined,
    form: CommentForm,
    cursor?: string,
    problem?: Refusal,
    support = false,
  ) {
    const article = await this.articles.get(key, me);
    const header = articleHeader(await this.library.find(key), article.title);
    const list = await this.comments.list(key, { cursor, limit: COMMENTS_PER_PAGE }, me);
    const mayWrite = !me?.sanction;
    const captcha = mayWrite && needsCaptcha(this.config, me) ? await this.captcha.fresh(ip) : undefined;
    const replyingTo = form.parentId ? findComment(list.items, form.parentId) : undefined;
    const mine = me ? await this.subscriptions.mineFor(me, { type: 'page', key }) : undefined;
    return view(
      article.title,
      {
        article,
        library: header,
        updated: readerZone(me).longDate(article.updatedAt),
        comments: list.items,
        nextCursor: list.nextCursor,
        paged: cursor !== undefined,
        cursor,
        form: {
          ...form,
          shownAt: this.stamps.shownAt(form.shownAt) !== undefined ? form.shownAt : this.stamps.issue(),
        },
        replyingTo,
        problem: problem?.field === 'stars' ? undefined : problem,
        ratingProblem: problem?.field === 'stars' ? problem : undefined,
        captcha,
        mayWrite,
        supportText: support ? this.config.moderation.crisisSupportText : undefined,
        formatDate: (at: string) => readerZone(me).longDate(at),
        now: this.clock.now(),
        editWindowMs: this.config.comments.editWindowMinutes * 60_000,
        box: { targetType: 'page', targetKey: key, next: `/articles/${key}#updates`, current: mine?.frequency },
      },
      {
        status: problem?.status ?? 200,
        retryAfterSeconds: problem?.retryAfterSeconds,
        islands: captcha ? ['captcha'] : [],
        description: header.description,
      },
    );
  }
}

function findComment(items: CommentView[], id: string): CommentView | undefined {
  for (const c of items) {
    if (c.id === id) return c;
    const inReplies = findComment(c.replies, id);
    if (inReplies) return inReplies;
  }
  return undefined;
}
