import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, registerDecorator, type ValidationArguments } from 'class-validator';
import { passwordStrength } from './password-strength';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

let common: Set<string> | undefined;

/** The 10,000 most common passwords (shipped in common-passwords.txt), compared case-insensitively. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    readFileSync(path.join(__dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );
  return common.has(password.toLowerCase());
}

/** The DTO fields a password is compared with: an attacker tries the account's own names first. */
const USER_INPUT_FIELDS = ['username', 'email', 'displayName'] as const;

/**
 * A new password: 10-128 characters, not a common one, not containing the username, and at least "safely
 * unguessable" to a real strength estimator (zxcvbn, score 3 of 4) that knows the username, e-mail and display name
 * sent with it. The refusal says how to make it stronger.
 */
export function NewPassword() {
  return applyDecorators(
    ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' }),
    IsString(),
    Length(PASSWORD_MIN, PASSWORD_MAX, { message: `$property must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters` }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'strongPassword',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate(value: unknown, args: ValidationArguments) {
            return typeof value !== 'string' || !passwordWeakness(value, args.object); // IsString reports a non-string
          },
          defaultMessage: (args?: ValidationArguments) => {
            const value = args?.value;
            const advice = typeof value === 'string' && args ? passwordWeakness(value, args.object) : undefined;
            return `$property is too easy to guess${advice ? `: ${advice}` : ''}`;
          },
        },
      }),
  );
}

/**
 * Why this password is too weak for this account, or undefined when it is strong enough. `form` carries the
 * account's names (`username`, `email`, `displayName`): the sign-up form, or the member's own when she changes it.
 */
export function passwordWeakness(password: string, form: object): string | undefined {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return undefined; // Length reports it
  const fields = form as Partial<Record<(typeof USER_INPUT_FIELDS)[number], unknown>>;
  const inputs = USER_INPUT_FIELDS.map((name) => fields[name]).filter((v): v is string => typeof v === 'string');
  const username = typeof fields.username === 'string' ? fields.username.toLowerCase() : '';
  if (username.length >= 3 && password.toLowerCase().includes(username)) {
    return 'leave out your username, and try three or four words that do not belong together';
  }
  if (isCommonPassword(password)) {
    return 'it is one of the most common passwords; try three or four words that do not belong together';
  }
  return passwordStrength(password, inputs).advice || undefined;
}
