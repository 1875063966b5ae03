import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PageView, Rating } from '../pages.service';

export class RatingSummaryDto implements Rating {
  @ApiProperty({ type: 'number', nullable: true, description: '1-5; null before the first rating' })
  average!: number | null;

  @ApiProperty({ type: 'integer' })
  count!: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'signed in: your stars, or null' })
  mine?: number | null;
}

/** An article that takes comments and ratings. */
export class ArticlePageDto implements PageView {
  @ApiProperty({ example: 'breast-cancer-stage-four' })
  key!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ format: 'uri' })
  url!: string;

  @ApiProperty({ type: 'string', nullable: true })
  reviewer!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  editor!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  disclaimer!: string | null;

  @ApiProperty({ type: 'integer' })
  commentCount!: number;

  @ApiProperty({ type: RatingSummaryDto })
  rating!: RatingSummaryDto;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** Counts for one page, as `GET /api/pages?keys=` lists them. */
export class PageCountsDto {
  @ApiProperty()
  key!: string;

  @ApiProperty({ type: 'integer' })
  commentCount!: number;

  @ApiProperty({ type: RatingSummaryDto })
  rating!: RatingSummaryDto;
}
