import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, registerDecorator, type ValidationArguments } from 'class-validator';

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

/** A new password: 10-128 characters, not a common one, and not the username. */
export function NewPassword() {
  return applyDecorators(
    ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' }),
    IsString(),
    Length(PASSWORD_MIN, PASSWORD_MAX, { message: `$property must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters` }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'notCommonPassword',
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate(value: unknown, args: ValidationArguments) {
            if (typeof value !== 'string') return true; // IsString reports it
            const username = (args.object as { username?: unknown }).username;
            if (typeof username === 'string' && username.length >= 3 && value.toLowerCase().includes(username)) {
              return false;
            }
            return !isCommonPassword(value);
          },
          defaultMessage: () => `$property is too easy to guess: avoid common passwords and your username`,
        },
      }),
  );
}
