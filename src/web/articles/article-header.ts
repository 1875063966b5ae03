import type { Article } from '../../library/articles.service';
import { dayText, reviewersText } from '../site/library-view';

/** The library's part of an article page: its text and review record, when Haven carries the article itself. */
export interface ArticleHeader {
  /** The rendered Markdown, or undefined for a page that links to an article elsewhere. */
  bodyHtml?: string;
  summary?: string;
  reviewers: string;
  reviewedOn: string | null;
  reviewed: string;
  nextReviewOn: string | null;
  nextReview: string;
  sources: Array<{ title: string; url: string }>;
  description: string;
}

export function articleHeader(article: Article | undefined, title: string): ArticleHeader {
  if (!article) {
    return {
      reviewers: '',
      reviewedOn: null,
      reviewed: '',
      nextReviewOn: null,
      nextReview: '',
      sources: [],
      description: `${title}: comments and ratings from the Haven community.`,
    };
  }
  return {
    bodyHtml: article.bodyHtml,
    summary: article.summary,
    reviewers: reviewersText(article.reviewers),
    reviewedOn: article.reviewedOn,
    reviewed: dayText(article.reviewedOn),
    nextReviewOn: article.nextReviewOn,
    nextReview: dayText(article.nextReviewOn),
    sources: article.sources,
    description: article.summary,
  };
}
