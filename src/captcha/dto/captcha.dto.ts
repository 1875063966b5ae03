import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const CAPTCHA_KINDS = ['image', 'pow'] as const;
export type CaptchaKind = (typeof CAPTCHA_KINDS)[number];

export class CaptchaQueryDto {
  @ApiPropertyOptional({ enum: CAPTCHA_KINDS, default: 'image' })
  @IsOptional()
  @IsIn(CAPTCHA_KINDS, { message: 'kind must be image or pow' })
  kind?: CaptchaKind;
}

/**
 * A captcha answer inside a form: `{id, answer}` for the image kind, `{id, number}` for proof of work, or
 * `{payload}` exactly as the ALTCHA widget submits it (base64 JSON carrying the challenge id in its salt).
 */
export class CaptchaAnswerDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'captcha.id must be the id of a challenge from GET /api/captcha' })
  id?: string;

  @ApiPropertyOptional({ description: 'image kind: the characters shown' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  answer?: string;

  @ApiPropertyOptional({ description: 'proof-of-work kind: the number found' })
  @IsOptional()
  @IsInt({ message: 'captcha.number must be a whole number' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  number?: number;

  @ApiPropertyOptional({ description: 'proof-of-work kind, as the ALTCHA widget sends it' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  payload?: string;
}

/** The `captcha` field of a form that must prove a person sent it. */
export function CaptchaField() {
  return applyDecorators(
    ApiProperty({ type: CaptchaAnswerDto }),
    IsDefined({ message: 'captcha is required: fetch one from GET /api/captcha and send its answer' }),
    IsObject({ message: 'captcha must be an object: {id, answer} or {id, number}' }),
    ValidateNested(),
    Type(() => CaptchaAnswerDto),
  );
}
