import { conflict, DomainError } from './domain-error';
import { mapError } from './error-mapping';
import { conflictIfTaken, uniqueViolation } from './unique-violation';

const violation = (constraint: string) => Object.assign(new Error('duplicate key'), { code: '23505', constraint });

describe(conflictIfTaken.name, () => {
  it('turns a unique violation into a 409 with the service message, or the error its constraint picks', () => {
    const taken = conflictIfTaken(violation('uq_rooms_slug'), 'slug is already used by another room');
    expect(taken).toBeInstanceOf(DomainError);
    expect(mapError(taken).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'slug is already used by another room',
    });
    const picked = conflictIfTaken(violation('uq_users_email'), (c) =>
      conflict(c.includes('email') ? 'email' : 'name'),
    );
    expect((picked as DomainError).message).toBe('email');
  });

  it('gives any other error back unchanged, and maps a violation no service explained to 409, not 500', () => {
    const other = Object.assign(new Error('boom'), { code: '22P02' });
    expect(conflictIfTaken(other, 'x')).toBe(other);
    expect(uniqueViolation({ driverError: { code: '23505', constraint: 'c' } })).toEqual({ constraint: 'c' });
    expect(mapError(violation('anything')).body.statusCode).toBe(409);
    expect(mapError(other).body.statusCode).toBe(500);
  });
});
