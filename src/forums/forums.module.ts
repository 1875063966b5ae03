import { Module } from '@nestjs/common';
import { CategoriesController } from './categories/categories.controller';
import { CategoriesService } from './categories/categories.service';
import { ForumMailReads } from './forum-mail-reads';
import { ForumModeration } from './forum-moderation';
import { ForumPacing } from './pacing';
import { PostsController } from './posts/posts.controller';
import { PostWritesService } from './posts/post-writes.service';
import { PostsService } from './posts/posts.service';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
import { StarterCommunity } from './seed/starter-community';
import { ThreadsController } from './threads/threads.controller';
import { ThreadEditsService } from './threads/thread-edits.service';
import { ThreadsService } from './threads/threads.service';
import { ForumMemberData } from './forum-member-data';

/** Discussion threads: categories, threads, posts, reactions, watching, search. Stands on users and common. */
@Module({
  controllers: [CategoriesController, ThreadsController, PostsController, SearchController],
  providers: [
    CategoriesService,
    ThreadsService,
    PostsService,
    PostWritesService,
    ForumPacing,
    SearchService,
    StarterCommunity,
    ForumModeration,
    ForumMemberData,
    ForumMailReads,
    ThreadEditsService,
  ],
  exports: [
    PostsService,
    PostWritesService,
    ThreadsService,
    ThreadEditsService,
    ForumModeration,
    CategoriesService,
    SearchService,
    ForumMailReads,
  ],
})
export class ForumsModule {}
