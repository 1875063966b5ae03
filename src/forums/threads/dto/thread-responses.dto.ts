import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuthorDto } from '../../dto/author.dto';
import type { AuthorView, ThreadView } from '../../forum-views';
import { PostDto } from '../../posts/dto/post-responses.dto';
import type { CreatedThread } from '../threads.service';
import { CONTENT_STATUSES, type ContentStatus } from '../thread.constants';

export class ThreadCategoryDto {
  @ApiProperty({ example: 'newly-diagnosed' })
  slug!: string;

  @ApiProperty({ example: 'Newly diagnosed' })
  name!: string;
}

export class ThreadDto implements ThreadView {
  @ApiProperty({ example: '7' })
  id!: string;

  @ApiProperty({ type: ThreadCategoryDto })
  category!: ThreadCategoryDto;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: AuthorDto })
  author!: AuthorView;

  @ApiProperty()
  anonymous!: boolean;

  @ApiProperty()
  pinned!: boolean;

  @ApiProperty()
  locked!: boolean;

  @ApiProperty({ enum: CONTENT_STATUSES })
  status!: ContentStatus;

  @ApiProperty({ type: 'integer' })
  replyCount!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastPostAt!: string;

  @ApiPropertyOptional({ description: 'signed in: whether you watch it' })
  subscribed?: boolean;

  @ApiPropertyOptional({ description: 'signed in: whether you started it' })
  mine?: boolean;
}

/** A thread just started, with its opening post: 201 published, or 202 pending. */
export class CreatedThreadDto implements CreatedThread {
  @ApiProperty({ enum: ['published', 'pending'] })
  status!: 'published' | 'pending';

  @ApiProperty({ type: ThreadDto })
  thread!: ThreadDto;

  @ApiProperty({ type: PostDto })
  post!: PostDto;

  @ApiPropertyOptional({ description: 'for the author: why it waits, or where to find support' })
  notice?: string;
}
