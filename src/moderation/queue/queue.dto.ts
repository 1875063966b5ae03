import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { NumericId, Text } from '../../common/validation/decorators';
import { REPORT_TARGETS, type ReportTarget } from '../reports/report.constants';
import { RESOLUTIONS, type Resolution } from './moderation-item.constants';

export class QueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved'], { message: 'status must be open or resolved' })
  status?: 'open' | 'resolved';

  @ApiPropertyOptional({ enum: REPORT_TARGETS })
  @IsOptional()
  @IsIn(REPORT_TARGETS, { message: `type must be one of ${REPORT_TARGETS.join(', ')}` })
  type?: ReportTarget;
}

export class ResolveDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS, { message: `action must be one of ${RESOLUTIONS.join(', ')}` })
  action!: Resolution;

  @Text({ optional: true, max: 1000, description: 'kept in the audit log' })
  note?: string;
}

export class ItemIdParams {
  @NumericId()
  id!: string;
}
