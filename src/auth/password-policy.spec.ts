import { validate } from 'class-validator';
import { isCommonPassword, NewPassword } from './password-policy';

class Form {
  username?: string;
  @NewPassword()
  password!: string;
}

const problems = async (password: unknown, username?: string) => {
  const form = Object.assign(new Form(), { password, username });
  return (await validate(form)).flatMap((e) => Object.values(e.constraints ?? {}));
};

describe(isCommonPassword.name, () => {
  it('knows the 10,000 most common passwords, in any case', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('QWERTYUIOP')).toBe(true);
    expect(isCommonPassword('1234567890')).toBe(true);
    expect(isCommonPassword('quiet-harbour-lantern')).toBe(false);
  });
});

describe('NewPassword', () => {
  it('accepts a long uncommon password', async () => {
    expect(await problems('quiet-harbour-lantern')).toEqual([]);
  });

  it.each([
    ['too short', 'short1!', 'must be 10-128 characters'],
    ['too long', 'x'.repeat(129), 'must be 10-128 characters'],
    ['common', 'qwertyuiop', 'too easy to guess'],
    ['not a string', 1234567890, 'must be a string'],
  ])('refuses a %s password', async (_what, password, message) => {
    expect((await problems(password)).join(' ')).toContain(message);
  });

  it('refuses a password containing the username', async () => {
    expect((await problems('my-name-is-rosalind', 'rosalind')).join(' ')).toContain('too easy to guess');
  });
});
