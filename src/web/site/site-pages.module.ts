import { Module } from '@nestjs/common';
import { LibraryModule } from '../../library/library.module';
import { LibraryAdminController } from './library-admin.controller';
import { LibraryPages } from './library-pages';
import { SiteAdminController } from './site-admin.controller';
import { SitePagesController } from './site-pages.controller';

/** The site's own pages, the library's list and support lines, and the admins' pages that edit them. */
@Module({
  imports: [LibraryModule],
  controllers: [SitePagesController, LibraryAdminController, SiteAdminController],
  providers: [LibraryPages],
})
export class SitePagesModule {}
