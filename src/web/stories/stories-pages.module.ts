import { Module } from '@nestjs/common';
import { StoriesModule } from '../../stories/stories.module';
import { StoryPagesController } from './story-pages.controller';

/** "My story" in the settings and the members page. */
@Module({
  imports: [StoriesModule],
  controllers: [StoryPagesController],
})
export class StoryPagesModule {}
