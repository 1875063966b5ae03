import { ApiProperty } from '@nestjs/swagger';
import { AuthorDto } from '../../dto/author.dto';
import type { AuthorView } from '../../forum-views';
import type { SearchHit } from '../search.service';

export class SearchHitDto implements SearchHit {
  @ApiProperty({ enum: ['thread', 'post'] })
  type!: 'thread' | 'post';

  @ApiProperty()
  threadId!: string;

  @ApiProperty()
  threadTitle!: string;

  @ApiProperty()
  postId!: string;

  @ApiProperty({ description: 'plain text around the match' })
  excerpt!: string;

  @ApiProperty({ type: AuthorDto })
  author!: AuthorView;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'number' })
  rank!: number;
}
