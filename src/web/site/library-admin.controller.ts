import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { ArticlesService, type Article, readRecord } from '../../library/articles.service';
import { ArticleInputDto } from '../../library/dto';
import { renderLibraryMarkdown } from '../../library/library-markdown';
import { labelled } from '../account/refusal';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { dayText, reviewersText } from './library-view';

/** What the article form shows again: every field as typed. */
export interface ArticleForm {
  key: string;
  title: string;
  summary: string;
  body: string;
  reviewers: string;
  reviewedOn: string;
  nextReviewOn: string;
  sources: string;
}

const ARTICLE_FORM = {
  dto: ArticleInputDto,
  typed: (body: unknown): ArticleForm => ({
    key: field(body, 'key').trim().toLowerCase(),
    title: field(body, 'title'),
    summary: field(body, 'summary'),
    body: field(body, 'body'),
    reviewers: field(body, 'reviewers'),
    reviewedOn: field(body, 'reviewedOn').trim(),
    nextReviewOn: field(body, 'nextReviewOn').trim(),
    sources: field(body, 'sources'),
  }),
  values: (typed: ArticleForm) => ({
    ...typed,
    reviewedOn: typed.reviewedOn || undefined,
    nextReviewOn: typed.nextReviewOn || undefined,
  }),
};

export const ARTICLE_LABELS: Record<string, string> = {
  key: 'Address (key)',
  title: 'Title',
  summary: 'Summary',
  body: 'Text',
  reviewers: 'Reviewers',
  reviewedOn: 'Date reviewed',
  nextReviewOn: 'Next review date',
  sources: 'Sources',
};

const EMPTY: ArticleForm = {
  key: '',
  title: '',
  summary: '',
  body: '',
  reviewers: '',
  reviewedOn: '',
  nextReviewOn: '',
  sources: '',
};

/** The library for admins: the articles, written and edited in Markdown with a preview (no JavaScript needed). */
@WebController('admin/articles')
@Roles('admin')
export class LibraryAdminController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @Page('admin/articles', { noindex: true })
  async list() {
    return view('Articles', { articles: await this.articles.list(), dayText });
  }

  @Get('new')
  @Page('admin/article-form', { noindex: true })
  newArticle() {
    return formView(undefined, EMPTY);
  }

  @Post('new')
  @HttpCode(200)
  @Page('admin/article-form', { noindex: true })
  async create(@Form(ARTICLE_FORM) form: Submitted<ArticleForm, ArticleInputDto>, @CurrentUser() me: Principal) {
    if (form.intent === 'preview') return formView(undefined, form.typed, { preview: true });
    return submit(
      form,
      async (input) => {
        const article = await this.articles.create(me, input);
        return redirect(`/articles/${article.key}`, `The article “${article.title}” is published.`);
      },
      (refused) => formView(undefined, form.typed, { refused }),
    );
  }

  @Get(':key/edit')
  @Page('admin/article-form', { noindex: true })
  async edit(@Param('key') key: string) {
    const article = await this.existing(key);
    return formView(article.key, toForm(article));
  }

  @Post(':key/edit')
  @HttpCode(200)
  @Page('admin/article-form', { noindex: true })
  async update(
    @Param('key') key: string,
    @Form(ARTICLE_FORM) form: Submitted<ArticleForm, ArticleInputDto>,
    @CurrentUser() me: Principal,
  ) {
    const article = await this.existing(key);
    const typed = { ...form.typed, key: article.key };
    if (form.intent === 'preview') return formView(article.key, typed, { preview: true });
    return submit(
      { ...form, input: form.input && { ...form.input, key: article.key } },
      async (input) => {
        const saved = await this.articles.update(me, article.key, input);
        return redirect(`/articles/${saved.key}`, `Your changes to “${saved.title}” are saved.`);
      },
      (refused) => formView(article.key, typed, { refused }),
    );
  }

  private async existing(key: string): Promise<Article> {
    const article = /^[a-z0-9][a-z0-9-]{1,99}$/.test(key) ? await this.articles.find(key) : undefined;
    if (!article) throw notFound('Article');
    return article;
  }
}

function toForm(a: Article): ArticleForm {
  return {
    key: a.key,
    title: a.title,
    summary: a.summary,
    body: a.body,
    reviewers: a.reviewers.map((r) => `${r.name}, ${r.credentials}`).join('\n'),
    reviewedOn: a.reviewedOn ?? '',
    nextReviewOn: a.nextReviewOn ?? '',
    sources: a.sources.map((s) => `${s.title} | ${s.url}`).join('\n'),
  };
}

/** The article form, new (`key` undefined) or for an article, with a preview or a refusal. */
function formView(
  key: string | undefined,
  form: ArticleForm,
  outcome: { preview?: boolean; refused?: FormRefusal } = {},
) {
  const problem = outcome.refused ? labelled(outcome.refused, ARTICLE_LABELS) : undefined;
  return view(
    key ? `Edit “${form.title || key}”` : 'Write an article',
    {
      key,
      action: key ? `/admin/articles/${key}/edit` : '/admin/articles/new',
      form,
      problem,
      preview: outcome.preview ? preview(form) : undefined,
    },
    { status: problem?.status ?? 200 },
  );
}

/** The article as it would read, and its review record (or why the record cannot be read yet). */
function preview(form: ArticleForm) {
  let record: ReturnType<typeof readRecord> | undefined;
  let recordProblem: string | undefined;
  try {
    record = readRecord({
      reviewers: form.reviewers,
      sources: form.sources,
      reviewedOn: form.reviewedOn || undefined,
      nextReviewOn: form.nextReviewOn || undefined,
    });
  } catch (err) {
    recordProblem = labelled(
      { status: 422, message: (err as Error).message, problems: [{ message: (err as Error).message }] },
      ARTICLE_LABELS,
    ).message;
  }
  return {
    html: renderLibraryMarkdown(form.body),
    reviewers: record ? reviewersText(record.reviewers) : '',
    reviewed: dayText(record?.reviewedOn),
    nextReview: dayText(record?.nextReviewOn),
    sources: record?.sources ?? [],
    recordProblem,
  };
}
