import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '../errors/error-mapping';

/** The contract's error body and its hints, defined once for the OpenAPI document (`ErrorBody` is its type in code). */
export class ErrorResponseDto implements ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'what went wrong; for bad input it names the field (one message, or one per field)',
    example: 'limit must be a whole number from 1 to 100',
  })
  message!: string | string[];

  @ApiPropertyOptional({
    enum: [true],
    description:
      'send the request again with a solved `captcha` (GET /api/captcha): sign-in after recent failures from your connection',
  })
  captchaRequired?: true;
}
