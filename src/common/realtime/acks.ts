import { Logger } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { mapError } from '../errors/error-mapping';
import { validateDto } from '../validation/validate-dto';

/** Every acknowledgement on the `/chat` namespace: `{ok: true, ...}` or `{ok: false, error}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

export interface AckError {
  statusCode: number;
  message: string;
  /** Seconds to wait, on 429 (rate limit, slow mode) and 503. */
  retryAfter?: number;
}

export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

const logger = new Logger('SocketAcks');

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
 * A socket payload checked against its DTO by the validator the HTTP pipe uses (validateDto): an object, no unknown
 * fields, no NUL, bounded nesting, and a message that names each bad field.
 */
export function parsePayload<T extends object>(dto: ClassConstructor<T>, payload: unknown): Promise<T> {
  return validateDto(dto, payload, 'payload');
}
