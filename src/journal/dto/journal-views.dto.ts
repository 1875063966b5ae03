import { ApiProperty } from '@nestjs/swagger';
import { REMINDER_FREQUENCIES, type ReminderFrequency } from '../journal.constants';

/**
 * What the journal's routes answer, for the OpenAPI document (the service returns the matching plain types of
 * journal.types.ts).
 */
export class SymptomGradeDto {
  @ApiProperty({ example: 'fatigue' })
  name!: string;

  @ApiProperty({ example: 'Fatigue' })
  label!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 4 })
  grade!: number;

  @ApiProperty({ type: 'string', nullable: true })
  note!: string | null;
}

export class JournalEntryDto {
  @ApiProperty({ format: 'date', example: '2026-03-14' })
  date!: string;

  @ApiProperty({ type: [SymptomGradeDto] })
  symptoms!: SymptomGradeDto[];

  @ApiProperty({ type: 'number', nullable: true, example: 37.2 })
  temperatureC!: number | null;

  @ApiProperty({ type: [String] })
  medicines!: string[];

  @ApiProperty({ type: 'string', nullable: true })
  appointment!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  note!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  questions!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CareNumberViewDto {
  @ApiProperty({ example: 'Acute oncology line' })
  label!: string;

  @ApiProperty({ example: '+44 20 7946 0000' })
  number!: string;
}

export class PutJournalEntryResultDto {
  @ApiProperty({ type: JournalEntryDto })
  entry!: JournalEntryDto;

  @ApiProperty({ description: 'true when the day was new (201)' })
  created!: boolean;

  @ApiProperty({ description: 'the day holds a reading her care team asks to hear about at once' })
  callCareTeam!: boolean;

  @ApiProperty({ type: [String], example: ['A temperature of 38.2 °C'] })
  callReasons!: string[];

  @ApiProperty({ type: [CareNumberViewDto], description: 'her saved numbers, when callCareTeam' })
  careNumbers!: CareNumberViewDto[];
}

export class GradePointDto {
  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 4 })
  grade!: number;
}

export class SymptomSummaryDto {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  label!: string;

  @ApiProperty({ type: [GradePointDto], description: 'one point a day she graded it, oldest first' })
  series!: GradePointDto[];

  @ApiProperty({ type: [GradePointDto], description: 'her worst days of it, worst first; at most 3' })
  worstDays!: GradePointDto[];

  @ApiProperty({ type: 'number', nullable: true })
  firstHalfMean!: number | null;

  @ApiProperty({ type: 'number', nullable: true })
  secondHalfMean!: number | null;

  @ApiProperty({ type: 'string', enum: ['worse', 'better', 'same'], nullable: true })
  change!: 'worse' | 'better' | 'same' | null;

  @ApiProperty({ type: 'integer' })
  highest!: number;

  @ApiProperty({ type: GradePointDto, nullable: true })
  latest!: GradePointDto | null;
}

export class WorstDayDto {
  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({ type: 'integer', description: 'the sum of the day’s grades' })
  total!: number;

  @ApiProperty({ type: [String], description: 'symptoms graded severe or very severe that day' })
  severe!: string[];
}

export class TemperatureMarkDto {
  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty()
  temperatureC!: number;
}

export class MedicinesMarkDto {
  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty({ type: [String] })
  items!: string[];
}

export class TextMarkDto {
  @ApiProperty({ format: 'date' })
  date!: string;

  @ApiProperty()
  text!: string;
}

export class JournalSummaryDto {
  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date' })
  to!: string;

  @ApiProperty({ format: 'date', description: 'days before it are the first half of the period' })
  midpoint!: string;

  @ApiProperty({ type: 'integer', description: 'days written in the period' })
  days!: number;

  @ApiProperty({ type: [SymptomSummaryDto] })
  symptoms!: SymptomSummaryDto[];

  @ApiProperty({ type: [WorstDayDto] })
  worstDays!: WorstDayDto[];

  @ApiProperty({ type: [TemperatureMarkDto] })
  temperatures!: TemperatureMarkDto[];

  @ApiProperty({ type: [MedicinesMarkDto] })
  medicines!: MedicinesMarkDto[];

  @ApiProperty({ type: [TextMarkDto] })
  appointments!: TextMarkDto[];

  @ApiProperty({ type: [TextMarkDto] })
  questions!: TextMarkDto[];

  @ApiProperty({ type: [TextMarkDto] })
  notes!: TextMarkDto[];

  @ApiProperty({ type: [String], description: 'days that asked her to call her care team' })
  callDays!: string[];

  @ApiProperty({
    type: TextMarkDto,
    nullable: true,
    description: 'with ?since=appointment: the appointment it starts at',
  })
  since?: TextMarkDto | null;
}

export class ReminderViewDto {
  @ApiProperty({ enum: REMINDER_FREQUENCIES })
  frequency!: ReminderFrequency;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 })
  hour!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7 })
  weekday!: number;
}

export class JournalSettingsDto {
  @ApiProperty({ type: [CareNumberViewDto] })
  careNumbers!: CareNumberViewDto[];

  @ApiProperty({ type: [String] })
  ownSymptoms!: string[];

  @ApiProperty({ type: [String] })
  medicines!: string[];

  @ApiProperty({ type: ReminderViewDto })
  reminder!: ReminderViewDto;
}

export class ShareViewDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'Firefox' })
  browser!: string;

  @ApiProperty({ example: 'phone' })
  device!: string;
}

export class JournalShareDto {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date' })
  to!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({ enum: ['live', 'expired', 'revoked'] })
  status!: 'live' | 'expired' | 'revoked';

  @ApiProperty({ type: [ShareViewDto], description: 'the latest views, newest first' })
  views!: ShareViewDto[];

  @ApiProperty({ type: 'integer' })
  viewCount!: number;
}

export class CreatedShareDto {
  @ApiProperty({ type: JournalShareDto })
  share!: JournalShareDto;

  @ApiProperty({ description: 'shown this once; only its hash is kept' })
  token!: string;

  @ApiProperty({ example: 'https://haven.example/journal/shared/3q2-…' })
  url!: string;
}

export class SharedJournalDto {
  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date' })
  to!: string;

  @ApiProperty()
  ownerDisplayName!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({
    type: JournalSummaryDto,
    description: '`callDays` is always empty: which days asked her to call her care team is never shared',
  })
  summary!: JournalSummaryDto;

  @ApiProperty({ type: [JournalEntryDto] })
  entries!: JournalEntryDto[];
}
