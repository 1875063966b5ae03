import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorCode, type ErrorHints, InvalidInput } from './domain-error';
import { uniqueViolation } from './unique-violation';

/** The contract's error body: `{statusCode, error, message}`, and a domain error's hints when it has some. */
export interface ErrorBody extends ErrorHints {
  statusCode: number;
  error: string;
  message: string | string[];
}

export interface MappedError {
  body: ErrorBody;
  retryAfterSeconds?: number;
  /** Unexpected: log it with its stack (the client sees only a generic message). */
  unexpected: boolean;
}

const STATUS_OF: Record<DomainErrorCode, number> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  content_refused: 422,
  too_many_requests: 429,
  unavailable: 503,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's own errors that reach us (body parsing and the like), with what we tell the client. */
const FASTIFY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large (the limit is 64 KB)'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send JSON with Content-Type: application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is empty but Content-Type says JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'The Content-Length header does not match the body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The request body is not valid JSON'],
};

/** PostgreSQL / driver failures that mean "the database is briefly unreachable", not a bug. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function mapError(err: unknown): MappedError {
  if (err instanceof DomainError) {
    const statusCode = STATUS_OF[err.code];
    const message = err instanceof InvalidInput ? err.problems : err.message;
    return {
      body: { ...body(statusCode, message), ...err.hints },
      retryAfterSeconds: err.retryAfterSeconds,
      unexpected: false,
    };
  }
  if (err instanceof HttpException) {
    const statusCode = err.getStatus();
    const response = err.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: string | string[] }).message
        : (healthMessage(response) ?? err.message);
    return { body: body(statusCode, message), unexpected: statusCode >= 500 };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && FASTIFY_ERRORS[code]) {
    const [statusCode, message] = FASTIFY_ERRORS[code];
    return { body: body(statusCode, message), unexpected: false };
  }
  if (code?.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
    return { body: body(e.statusCode, String(e.message)), unexpected: false };
  }
  if (uniqueViolation(err)) {
    return { body: body(409, 'This already exists'), unexpected: false };
  }
  if (isUnavailable(err)) {
    return {
      body: body(503, 'Haven is briefly unavailable, please try again shortly'),
      retryAfterSeconds: 5,
      unexpected: false,
    };
  }
  return { body: body(500, 'Something went wrong on our side; it has been logged'), unexpected: true };
}

/** @nestjs/terminus answers 503 with `{status: 'error', error: {database: {status: 'down'}}}`. */
function healthMessage(response: unknown): string | undefined {
  const r = response as { status?: unknown; error?: Record<string, unknown> } | undefined;
  if (r?.status !== 'error' || typeof r.error !== 'object' || r.error === null) return undefined;
  return `Not ready: ${Object.keys(r.error).join(', ')} unreachable`;
}

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown }; message?: unknown } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Reached the max retries/.test(
    message,
  );
}

function body(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: REASON[statusCode] ?? HttpStatus[statusCode] ?? 'Error', message };
}
