import { checkInput, MAX_INPUT_DEPTH } from './input-rules';

const nested = (depth: number): unknown => (depth === 0 ? 'x' : [nested(depth - 1)]);

describe(checkInput.name, () => {
  it.each([
    ['a NUL in a field', { bio: 'a\u0000b' }, /^bio must not contain NUL/],
    ['a NUL in a nested field', { captcha: { id: 'a\u0000' } }, /^captcha\.id must not contain NUL/],
    ['a NUL in an array item', { ids: ['1', '\u0000'] }, /^ids\[1\] must not contain NUL/],
    ['a NUL in a field name', { ['b\u0000io']: 'x' }, /^body has a field name/],
    ['deep nesting', { a: nested(MAX_INPUT_DEPTH) }, /nested too deeply/],
  ])('refuses %s with a 400 naming the field', (_what, value, message) => {
    expect(() => checkInput(value)).toThrow(message);
  });

  it('refuses null fields only in a DTO input, and names the query parameter it checks', () => {
    expect(() => checkInput({ displayName: null }, '', 'body', { nulls: false })).toThrow(
      /^displayName must not be null/,
    );
    expect(() => checkInput({ displayName: null })).not.toThrow();
    expect(() => checkInput('a\u0000', 'q', 'query')).toThrow(/^q must not contain NUL/);
    expect(() => checkInput({ title: 'fine', tags: ['a', 'b'], n: 1, ok: true })).not.toThrow();
    expect(() => checkInput({ a: nested(MAX_INPUT_DEPTH - 1) })).not.toThrow();
  });
});
