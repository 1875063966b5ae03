import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { canonicalTimeZone } from '../time/time-zone';

/**
 * Validation declared once, as composite decorators: each field kind is described here (for the validation pipe
 * and for OpenAPI alike) and reused by every DTO that has such a field.
 */
type FieldOptions = { optional?: boolean; description?: string };

/** Only OpenAPI schema keys reach the document: the options that steer validation (optional, min, max, trim) stay here. */
type SchemaKeys = {
  type?: 'string' | 'integer';
  example?: string;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};
const api = (o: FieldOptions, schema: SchemaKeys) => {
  const options: ApiPropertyOptions = {
    ...(o.description === undefined ? {} : { description: o.description }),
    ...schema,
  };
  return o.optional ? ApiPropertyOptional(options) : ApiProperty(options);
};
const optional = (o: FieldOptions) => (o.optional ? [IsOptional()] : []);
const trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const lowered = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

export const USERNAME_PATTERN = /^[a-z0-9_]{3,32}$/;

/** 3-32 of [a-z0-9_]; compared case-insensitively, so it is lowered on the way in. */
export function Username(o: FieldOptions = {}) {
  return applyDecorators(
    api(o, { example: 'hope_rising', pattern: USERNAME_PATTERN.source }),
    ...optional(o),
    lowered(),
    IsString(),
    Matches(USERNAME_PATTERN, { message: '$property must be 3-32 characters: letters a-z, digits and _' }),
  );
}

export function Email(o: FieldOptions = {}) {
  return applyDecorators(
    api(o, { example: 'someone@example.org', format: 'email', maxLength: 254 }),
    ...optional(o),
    lowered(),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: '$property must be an email address' }),
  );
}

/** Free text with a length range, trimmed; `min` counts after trimming. */
export function Text(o: FieldOptions & { min?: number; max: number; trim?: boolean }) {
  const min = o.min ?? 0;
  return applyDecorators(
    api(o, { type: 'string', minLength: min, maxLength: o.max }),
    ...optional(o),
    ...(o.trim === false ? [] : [trimmed()]),
    IsString(),
    Length(min, o.max, { message: `$property must be ${min}-${o.max} characters` }),
  );
}

export function Int(o: FieldOptions & { min: number; max: number }) {
  return applyDecorators(
    api(o, { type: 'integer', minimum: o.min, maximum: o.max }),
    ...optional(o),
    IsInt(),
    Min(o.min),
    Max(o.max),
  );
}

/** An IANA time zone ("Europe/London"), kept by its canonical name; anything Intl does not know is refused. */
export function TimeZone(o: FieldOptions = {}) {
  return applyDecorators(
    api(o, { type: 'string', example: 'America/New_York', maxLength: 64 }),
    ...optional(o),
    Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value),
    ValidateBy({
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) === value,
        defaultMessage: () => '$property must be an IANA time zone such as Europe/London',
      },
    }),
  );
}

export const NUMERIC_ID_PATTERN = /^\d{1,18}$/;

/** A numeric id in a route or body (ids are opaque strings to clients, but Haven's are digits). */
export function NumericId(o: FieldOptions = {}) {
  return applyDecorators(
    api(o, { type: 'string', pattern: NUMERIC_ID_PATTERN.source, example: '42' }),
    ...optional(o),
    Matches(NUMERIC_ID_PATTERN, { message: '$property must be a numeric id' }),
  );
}
