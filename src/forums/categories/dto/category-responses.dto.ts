import { ApiProperty } from '@nestjs/swagger';
import type { CategoryView } from '../../forum-views';
import { APPROVAL_POLICIES } from '../category.constants';

export class CategoryDto implements CategoryView {
  @ApiProperty({ example: '1' })
  id!: string;

  @ApiProperty({ example: 'newly-diagnosed' })
  slug!: string;

  @ApiProperty({ example: 'Newly diagnosed' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'integer' })
  threadCount!: number;

  @ApiProperty({ type: 'integer' })
  postCount!: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastPostAt!: string | null;

  @ApiProperty({ enum: APPROVAL_POLICIES, description: 'who waits for a moderator before their posts show' })
  approval!: string;
}
