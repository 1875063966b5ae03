import { Injectable } from '@nestjs/common';
import { ArticlesService } from '../../library/articles.service';
import type { SitePageKey } from '../../library/library.constants';
import { SitePagesService } from '../../library/site-pages.service';
import { SupportLinesService } from '../../library/support-lines.service';
import { UTC } from '../core/dates';
import { view } from '../core/page-result';
import { countryName, telOf } from './crisis-lines';
import { dayText } from './library-view';

const DESCRIPTIONS: Record<SitePageKey, string> = {
  about: 'What Haven is, who looks after it, and what it is not.',
  privacy: 'What Haven keeps about you, why, and how you can download or delete it.',
  terms: 'The terms of using Haven, in plain words.',
  contact: 'How to reach the people who run Haven.',
};

/** The view models of the library's public pages. */
@Injectable()
export class LibraryPages {
  constructor(
    private readonly library: ArticlesService,
    private readonly site: SitePagesService,
    private readonly support: SupportLinesService,
  ) {}

  async articles() {
    const articles = await this.library.list();
    return view('Articles', {
      articles: articles.map((a) => ({ ...a, reviewed: dayText(a.reviewedOn), updated: UTC.longDate(a.updatedAt) })),
    });
  }

  async sitePage(key: SitePageKey) {
    const page = await this.site.get(key);
    return view(
      page.title,
      { sitePage: page, updated: UTC.longDate(page.updatedAt) },
      { description: DESCRIPTIONS[key] },
    );
  }

  async supportLines() {
    const countries = await this.support.byCountries();
    return view('Support lines', {
      countries: countries
        .map((c) => ({
          ...c,
          name: countryName(c.country),
          lines: c.lines.map((l) => ({ ...l, tel: telOf(l.phone) })),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
}
