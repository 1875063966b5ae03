import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module';
import { ArticlesService } from './articles.service';
import { SitePagesService } from './site-pages.service';
import { StarterArticle } from './starter-article';
import { SupportLinesService } from './support-lines.service';

/**
 * The library: articles with their review record (comments and ratings stay the comments feature's, on its page
 * of the same key), the site's own pages (about, privacy, terms, contact) and the support lines per country.
 */
@Module({
  imports: [CommentsModule],
  providers: [ArticlesService, SitePagesService, SupportLinesService, StarterArticle],
  exports: [ArticlesService, SitePagesService, SupportLinesService],
})
export class LibraryModule {}
