import { conflict, type DomainError } from './domain-error';

/** PostgreSQL's unique_violation: a row with the same unique key already exists. */
export const UNIQUE_VIOLATION = '23505';

/** The unique violation a query failed with (`constraint` names the index), or undefined for any other error. */
export function uniqueViolation(err: unknown): { constraint: string } | undefined {
  const e = err as { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } };
  const code = e?.code ?? e?.driverError?.code;
  if (code !== UNIQUE_VIOLATION) return undefined;
  const constraint = e?.constraint ?? e?.driverError?.constraint;
  return { constraint: typeof constraint === 'string' ? constraint : '' };
}

/**
 * The one place a unique violation becomes a 409: what a service throws from its catch block. `message` says what
 * is taken (or picks the error from the violated constraint); any other error is given back unchanged, to rethrow.
 * A violation no service explains is still a 409 (error-mapping.ts asks uniqueViolation too), never a 500.
 */
export function conflictIfTaken(err: unknown, message: string | ((constraint: string) => DomainError)): unknown {
  const violation = uniqueViolation(err);
  if (!violation) return err;
  return typeof message === 'string' ? conflict(message) : message(violation.constraint);
}
