import { Logger } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { badInput, DomainError } from '../common/errors/domain-error';
import { mapError } from '../common/errors/error-mapping';
import type { Ack, AckError } from './chat-events';

const logger = new Logger('ChatAcks');

/**
 * Runs one client event and turns its outcome into the acknowledgement: the result as `{ok: true, ...}`, or any
 * error through the one error mapping as `{ok: false, error: {statusCode, message}}`. Never throws, so a bad
 * payload or a failing database never escapes the gateway or drops the socket.
 */
export async function answer<T extends object>(run: () => Promise<T>): Promise<Ack<T>> {
  try {
    return { ok: true, ...(await run()) };
  } catch (err) {
    return { ok: false, error: ackError(err) };
  }
}

export function ackError(err: unknown): AckError {
  const mapped = mapError(err);
  if (mapped.unexpected) logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  const { statusCode, message } = mapped.body;
  const retryAfter = mapped.retryAfterSeconds ?? (statusCode === 429 || statusCode === 503 ? 5 : undefined);
  return {
    statusCode,
    message: Array.isArray(message) ? message.join('; ') : message,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/**
 * A socket payload checked against its DTO the way the HTTP validation pipe checks bodies: an object, no unknown
 * fields, and a message that names the first bad field.
 */
export async function parsePayload<T extends object>(dto: ClassConstructor<T>, payload: unknown): Promise<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw badInput('payload', 'must be an object');
  }
  const instance = plainToInstance(dto, payload, { enableImplicitConversion: false });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new DomainError('bad_input', firstMessage(errors[0]));
  return instance;
}

function firstMessage(error: ValidationError, path = ''): string {
  const field = path ? `${path}.${error.property}` : error.property;
  const constraint = error.constraints && Object.values(error.constraints)[0];
  if (constraint) return constraint.startsWith(error.property) ? `${path ? `${path}.` : ''}${constraint}` : constraint;
  const child = error.children?.[0];
  return child ? firstMessage(child, field) : `${field} is not valid`;
}
