/**
 * Errors that services throw. Each carries a code; `error-mapping.ts` is the one place that turns codes into HTTP
 * statuses (and, later, Socket.IO acknowledgements). Services never import HTTP exceptions.
 */
export type DomainErrorCode =
  | 'bad_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'content_refused'
  | 'too_many_requests'
  | 'unavailable';

/** Machine-readable hints a client acts on, sent beside the message (`{..., captchaRequired: true}`). */
export interface ErrorHints {
  /** Send the request again with a solved captcha (`captcha: {id, answer}` or `{id, number}`). */
  captchaRequired?: true;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly hints?: ErrorHints,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * 400 from validation: every bad field, one message each (`captcha.id must be ...` for nested ones). HTTP answers
 * them as the message list, sockets and forms as one sentence.
 */
export class InvalidInput extends DomainError {
  constructor(readonly problems: string[]) {
    super('bad_input', problems.join('; '));
    this.name = 'InvalidInput';
  }
}

/** 400; the message names the field, as the contract asks. */
export const badInput = (field: string, problem: string) => new DomainError('bad_input', `${field} ${problem}`);
export const unauthenticated = (message = 'Sign in to do this') => new DomainError('unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('forbidden', message);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
/** 410: it was here and is no more (an expired or revoked link); nothing of it is told. */
export const gone = (message: string) => new DomainError('gone', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many requests, please wait a moment') =>
  new DomainError('too_many_requests', message, Math.max(1, Math.ceil(retryAfterSeconds)));
export const unavailable = (message = 'Haven is briefly unavailable, please try again shortly', retryAfter = 5) =>
  new DomainError('unavailable', message, retryAfter);
