import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Text } from '../../common/validation/decorators';
import {
  DAY_PATTERN,
  MEDICINE_MAX_LENGTH,
  MEDICINES_MAX,
  NOTE_MAX_LENGTH,
  CARE_NUMBERS_MAX,
  REMINDER_FREQUENCIES,
  SHARE_DAYS_MAX,
  SYMPTOM_NOTE_MAX_LENGTH,
  TEMPERATURE_MAX_C,
  TEMPERATURE_MIN_C,
  type ReminderFrequency,
} from '../journal.constants';
import { GRADES, OWN_SYMPTOM_MAX_LENGTH, OWN_SYMPTOMS_MAX } from '../symptoms';

const trimmedList = () =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value,
  );

/** A day: YYYY-MM-DD (a real calendar day is checked by the service, with her zone's today). */
export function Day(o: { optional?: boolean; description?: string } = {}) {
  const schema: ApiPropertyOptions = {
    type: 'string',
    format: 'date',
    example: '2026-03-14',
    ...(o.description ? { description: o.description } : {}),
  };
  return applyDecorators(
    o.optional ? ApiPropertyOptional(schema) : ApiProperty(schema),
    ...(o.optional ? [IsOptional()] : []),
    IsString({ message: '$property must be a day written YYYY-MM-DD' }),
    Matches(DAY_PATTERN, { message: '$property must be a day written YYYY-MM-DD' }),
  );
}

export class SymptomInputDto {
  @ApiProperty({ example: 'fatigue', description: 'a name from the catalogue, or one of her own symptoms' })
  @IsString({ message: 'name must be a symptom name' })
  @Length(1, OWN_SYMPTOM_MAX_LENGTH, { message: `name must be 1-${OWN_SYMPTOM_MAX_LENGTH} characters` })
  name!: string;

  @ApiProperty({ type: 'integer', enum: GRADES, description: '0 none, 1 mild, 2 moderate, 3 severe, 4 very severe' })
  @IsInt({ message: 'grade must be a whole number from 0 (none) to 4 (very severe)' })
  @Min(0, { message: 'grade must be a whole number from 0 (none) to 4 (very severe)' })
  @Max(4, { message: 'grade must be a whole number from 0 (none) to 4 (very severe)' })
  grade!: number;

  @Text({ optional: true, max: SYMPTOM_NOTE_MAX_LENGTH, description: 'e.g. where the pain is' })
  note?: string;
}

/** A day's entry (PUT replaces the day: what is left out is no longer said). */
export class EntryInputDto {
  @ApiProperty({ type: [SymptomInputDto] })
  @ArrayMaxSize(40, { message: 'symptoms must list at most 40 symptoms' })
  @ValidateNested({ each: true })
  @Type(() => SymptomInputDto)
  @IsArray({ message: 'symptoms must be a list of {name, grade}' })
  symptoms!: SymptomInputDto[];

  @ApiPropertyOptional({ minimum: TEMPERATURE_MIN_C, maximum: TEMPERATURE_MAX_C, example: 37.2 })
  @IsOptional()
  @Min(TEMPERATURE_MIN_C, { message: `temperatureC must be from ${TEMPERATURE_MIN_C} to ${TEMPERATURE_MAX_C} °C` })
  @Max(TEMPERATURE_MAX_C, { message: `temperatureC must be from ${TEMPERATURE_MIN_C} to ${TEMPERATURE_MAX_C} °C` })
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
    { message: 'temperatureC must be a temperature in °C such as 37.2' },
  )
  temperatureC?: number;

  @ApiPropertyOptional({ type: [String], description: 'medicines and treatments taken that day' })
  @IsOptional()
  @ArrayMaxSize(MEDICINES_MAX, { message: `medicines must list at most ${MEDICINES_MAX}` })
  @trimmedList()
  @IsString({ each: true, message: 'medicines must be a list of names' })
  @Length(1, MEDICINE_MAX_LENGTH, { each: true, message: `medicines must each be 1-${MEDICINE_MAX_LENGTH} characters` })
  @IsArray({ message: 'medicines must be a list of names' })
  medicines?: string[];

  @Text({ optional: true, max: 200, description: 'an appointment that day (with whom, what for)' })
  appointment?: string;

  @Text({ optional: true, max: NOTE_MAX_LENGTH })
  note?: string;

  @Text({ optional: true, max: NOTE_MAX_LENGTH, description: 'questions for her next appointment' })
  questions?: string;
}

export class RangeQueryDto {
  @Day({ optional: true, description: 'first day (default: 13 days before `to`)' })
  from?: string;

  @Day({ optional: true, description: 'last day (default: today in her time zone)' })
  to?: string;
}

export class SummaryQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({
    enum: ['appointment'],
    description: 'appointment: from her last appointment before `to` (the default period when she noted none)',
  })
  @IsOptional()
  @IsIn(['appointment'], { message: 'since must be appointment' })
  since?: 'appointment';
}

export class DayParams {
  @Day()
  date!: string;
}

export class ShareInputDto {
  @Day()
  from!: string;

  @Day()
  to!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: SHARE_DAYS_MAX })
  @IsInt({ message: `expiresInDays must be a whole number from 1 to ${SHARE_DAYS_MAX}` })
  @Min(1, { message: `expiresInDays must be a whole number from 1 to ${SHARE_DAYS_MAX}` })
  @Max(SHARE_DAYS_MAX, { message: `expiresInDays must be a whole number from 1 to ${SHARE_DAYS_MAX}` })
  expiresInDays!: number;
}

export class TokenParams {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  token!: string;
}

export class CareNumberDto {
  @Text({ min: 1, max: 60, description: 'e.g. Acute oncology line' })
  label!: string;

  @ApiProperty({ example: '+44 20 7946 0000' })
  @IsString({ message: 'number must be a phone number' })
  @Matches(/^\+?[0-9 ()\-.]{3,30}$/, { message: 'number must be a phone number: digits, spaces, + ( ) - .' })
  number!: string;
}

export class ReminderDto {
  @ApiProperty({ enum: REMINDER_FREQUENCIES })
  @IsIn(REMINDER_FREQUENCIES, { message: `frequency must be one of ${REMINDER_FREQUENCIES.join(', ')}` })
  frequency!: ReminderFrequency;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 23, default: 19, description: 'in her time zone' })
  @IsOptional()
  @IsInt({ message: 'hour must be a whole number from 0 to 23' })
  @Min(0, { message: 'hour must be a whole number from 0 to 23' })
  @Max(23, { message: 'hour must be a whole number from 0 to 23' })
  hour?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 7, description: 'weekly: 1 Monday ... 7 Sunday' })
  @IsOptional()
  @IsInt({ message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Min(1, { message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  @Max(7, { message: 'weekday must be a whole number from 1 (Monday) to 7 (Sunday)' })
  weekday?: number;
}

/** A change to her settings: each field given replaces that field. */
export class SettingsPatchDto {
  @ApiPropertyOptional({ type: [CareNumberDto] })
  @IsOptional()
  @ArrayMaxSize(CARE_NUMBERS_MAX, { message: `careNumbers must list at most ${CARE_NUMBERS_MAX}` })
  @ValidateNested({ each: true })
  @Type(() => CareNumberDto)
  @IsArray({ message: 'careNumbers must be a list of {label, number}' })
  careNumbers?: CareNumberDto[];

  @ApiPropertyOptional({ type: [String], description: 'her own symptoms, beside the catalogue' })
  @IsOptional()
  @ArrayMaxSize(OWN_SYMPTOMS_MAX, { message: `ownSymptoms must list at most ${OWN_SYMPTOMS_MAX}` })
  @trimmedList()
  @IsString({ each: true, message: 'ownSymptoms must be a list of names' })
  @Length(1, OWN_SYMPTOM_MAX_LENGTH, {
    each: true,
    message: `ownSymptoms must each be 1-${OWN_SYMPTOM_MAX_LENGTH} characters`,
  })
  @IsArray({ message: 'ownSymptoms must be a list of names' })
  ownSymptoms?: string[];

  @ApiPropertyOptional({ type: [String], description: 'her medicines list, for one-tap reuse' })
  @IsOptional()
  @ArrayMaxSize(MEDICINES_MAX, { message: `medicines must list at most ${MEDICINES_MAX}` })
  @trimmedList()
  @IsString({ each: true, message: 'medicines must be a list of names' })
  @Length(1, MEDICINE_MAX_LENGTH, { each: true, message: `medicines must each be 1-${MEDICINE_MAX_LENGTH} characters` })
  @IsArray({ message: 'medicines must be a list of names' })
  medicines?: string[];

  @ApiPropertyOptional({ type: ReminderDto })
  @IsOptional()
  @IsObject({ message: 'reminder must be an object: {frequency, hour?, weekday?}' })
  @ValidateNested()
  @Type(() => ReminderDto)
  reminder?: ReminderDto;
}
