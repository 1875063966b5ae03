import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTENT_CHOICES, type ContentChoice } from '../../common/member-data/member-data';
import type { ExportState } from '../account.constants';
import type { DeletionStatus } from '../account-deletion.service';
import type { ExportStatus } from '../account-export.service';

const EXPORT_STATES: ExportState[] = ['none', 'building', 'ready', 'expired'];

export class ExportStatusDto implements ExportStatus {
  @ApiProperty({ enum: EXPORT_STATES })
  status!: ExportState;

  @ApiPropertyOptional({ description: 'where to download it (with your sign-in), while it is ready' })
  url?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'when the archive is deleted' })
  expiresAt?: string;
}

export class DeletionStatusDto implements DeletionStatus {
  @ApiProperty({ enum: ['none', 'pending'] })
  status!: 'none' | 'pending';

  @ApiPropertyOptional({ enum: CONTENT_CHOICES })
  content?: ContentChoice;

  @ApiPropertyOptional({ format: 'date-time', description: 'when the account will be deleted' })
  dueAt?: string;
}

/** The archive: your profile (with your email) and one list per kind of thing you wrote or did. */
export class MemberArchiveDto {
  @ApiProperty({ example: 'haven-member-data/1' })
  format!: string;

  @ApiProperty({ format: 'date-time' })
  exportedAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } })
  posts?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } })
  threads?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } })
  comments?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } })
  chatMessages?: Array<Record<string, unknown>>;
}
