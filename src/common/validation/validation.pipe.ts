import { ValidationPipe } from '@nestjs/common';

/**
 * One pipe for every input: unknown fields are refused (400 naming them), values are transformed to the DTO's
 * types, and each message names its field (`captcha.id must be ...` for nested ones).
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
}
