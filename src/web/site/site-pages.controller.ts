import { Get } from '@nestjs/common';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { LibraryPages } from './library-pages';

/**
 * Pages that are the same for everyone: the community guidelines, the members' help page, the site's own pages that admins edit (about,
 * privacy, terms, contact), the support lines by country and the list of articles.
 */
@WebController()
export class SitePagesController {
  constructor(private readonly library: LibraryPages) {}

  @Get('guidelines')
  @Page('site/guidelines', {
    description: 'How we look after each other on Haven, where to find crisis support, and how we keep your privacy.',
  })
  guidelines() {
    return view('Community guidelines', {});
  }

  @Get('help')
  @Page('site/help', {
    description:
      'How to post, chat, comment and write privately on Haven, your private journal, your account, and help now.',
  })
  help() {
    return view('Help', {});
  }

  @Get('articles')
  @Page('site/articles', {
    description: 'Articles about living with breast cancer, reviewed by the people named on them.',
  })
  articles() {
    return this.library.articles();
  }

  @Get('support')
  @Page('site/support', { description: 'Crisis lines and specialist nurse helplines, by country.' })
  support() {
    return this.library.supportLines();
  }

  @Get('about')
  @Page('site/page')
  about() {
    return this.library.sitePage('about');
  }

  @Get('privacy')
  @Page('site/page')
  privacy() {
    return this.library.sitePage('privacy');
  }

  @Get('terms')
  @Page('site/page')
  terms() {
    return this.library.sitePage('terms');
  }

  @Get('contact')
  @Page('site/page')
  contact() {
    return this.library.sitePage('contact');
  }
}
