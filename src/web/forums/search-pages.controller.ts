import { Get, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { SearchQueryDto, SearchService } from '../../forums/search/search.service';
import { formProblem, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { searchItem, withQuery } from './forum-format';

const RESULTS_PER_PAGE = 20;

/** Searching published threads and posts: a form, ranked results, real links to the next page. */
@WebController()
export class SearchPagesController {
  constructor(private readonly searches: SearchService) {}

  @Cost(COSTS.search)
  @Get('search')
  @Page('forums/search', { noindex: true })
  async search(@Query('q') q?: string, @Query('cursor') cursor?: string, @CurrentUser() viewer?: Principal) {
    const text = typeof q === 'string' ? q : '';
    let results;
    let nextHref: string | null = null;
    let error: string | undefined;
    if (text.trim() !== '') {
      try {
        const query = await validated(SearchQueryDto, {
          q: text,
          cursor: cursor || undefined,
          limit: RESULTS_PER_PAGE,
        });
        const page = await this.searches.search(query, viewer);
        results = page.items.map((hit) => searchItem(hit, viewer));
        nextHref = page.nextCursor ? withQuery('/search', { q: text, cursor: page.nextCursor }) : null;
      } catch (err) {
        error = formProblem(err);
      }
    }
    return view(
      text.trim() ? `Search: ${text.trim()}` : 'Search',
      { q: text, results, nextHref, firstHref: cursor && text ? withQuery('/search', { q: text }) : null, error },
      { status: error ? 422 : 200 },
    );
  }
}
