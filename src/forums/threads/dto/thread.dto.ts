import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { Text } from '../../../common/validation/decorators';
import { Slug } from '../../categories/dto/category.dto';

export const POST_MAX = 20_000;

export class CreateThreadDto {
  @Text({ min: 5, max: 150 })
  title!: string;

  @Text({ min: 1, max: POST_MAX, trim: false, description: 'Markdown' })
  body!: string;

  @ApiPropertyOptional({ default: false, description: 'members and guests see "Anonymous member"' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

export class MoveThreadDto {
  @Slug()
  category!: string;
}

export { IdParams } from '../../../common/validation/params';
