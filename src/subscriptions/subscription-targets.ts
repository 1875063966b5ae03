import { Injectable } from '@nestjs/common';
import { CommentMailReads } from '../comments/comment-mail-reads';
import { badInput } from '../common/errors/domain-error';
import type { PlaceSummary } from '../common/mail-items';
import { NUMERIC_ID_PATTERN } from '../common/validation/decorators';
import { ForumMailReads } from '../forums/forum-mail-reads';
import { TARGET_TYPES, type TargetType } from './subscription.constants';

export interface ResolvedTarget {
  type: TargetType;
  place: PlaceSummary;
}

const NEWSLETTER: PlaceSummary = { id: '0', key: '', title: 'New articles on Haven', path: '/' };

/** What a subscription can follow, asked of the features that own it (comments' pages, forums' categories and threads). */
@Injectable()
export class SubscriptionTargets {
  constructor(
    private readonly forums: ForumMailReads,
    private readonly articles: CommentMailReads,
  ) {}

  /** `{type, key}` from a request: a 400 naming `target` for anything that is not a place one can follow. */
  async resolve(target: { type?: unknown; key?: unknown }): Promise<ResolvedTarget> {
    const extra = Object.keys(target).filter((k) => k !== 'type' && k !== 'key');
    if (extra.length) throw badInput('target', `has an unknown field: ${extra[0]}`);
    const type = target.type;
    if (typeof type !== 'string' || !(TARGET_TYPES as readonly string[]).includes(type)) {
      throw badInput('target', `type must be one of ${TARGET_TYPES.join(', ')}`);
    }
    if (type === 'newsletter') {
      if (target.key !== undefined) throw badInput('target', 'key is not taken by the newsletter');
      return { type, place: NEWSLETTER };
    }
    const key = target.key;
    if (typeof key !== 'string' || key.length === 0 || key.length > 100) {
      throw badInput('target', `key is required for a ${type}: ${KEY_WORDS[type as TargetType]}`);
    }
    const place = await this.lookup(type as TargetType, key);
    if (!place) throw badInput('target', `names no ${type} that can be followed`);
    return { type: type as TargetType, place };
  }

  /** Titles and paths of many places of one type (for lists), by id. */
  async summaries(type: TargetType, ids: string[]): Promise<Map<string, PlaceSummary>> {
    const found =
      type === 'page'
        ? await this.articles.pageSummaries(ids)
        : type === 'category'
          ? await this.forums.categorySummaries(ids)
          : type === 'thread'
            ? await this.forums.threadSummaries(ids)
            : ids.map(() => NEWSLETTER);
    return new Map(found.map((p) => [p.id, p]));
  }

  private lookup(type: TargetType, key: string): Promise<PlaceSummary | undefined> {
    if (type === 'page') return this.articles.pageByKey(key);
    if (type === 'category') return this.forums.categoryBySlug(key);
    return NUMERIC_ID_PATTERN.test(key) ? this.forums.thread(key) : Promise.resolve(undefined);
  }
}

const KEY_WORDS: Record<TargetType, string> = {
  page: "the article's page key",
  category: "the category's slug",
  thread: "the thread's id",
  newsletter: '',
};
