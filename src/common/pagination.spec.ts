import { DomainError } from './errors/domain-error';
import { decodeCursor, encodeCursor } from './pagination';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(decodeCursor.name, () => {
  it.each([
    ['bui', [true, '1733300000000000', '42']],
    ['bui', [false, '-5', '9223372036854775807']],
    ['nnui', [0, -3, '1733300000000000', '7']],
    ['ris', ['0.0607927', '12', 'post']],
    ['ris', ['1e-05', '12', 'thread']],
    ['i', ['1']],
  ])('accepts what a list gives out (%s %j)', (shape, key) => {
    expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
  });

  it.each([
    ['i', ['0']],
    ['i', ['-1']],
    ['i', ['9223372036854775808']],
    ['i', ['99999999999999999999']],
    ['i', [1]],
    ['bui', ['true', '1', '1']],
    ['bui', [true, 'soon', '1']],
    ['bui', [true, '99999999999999999999', '1']],
    ['nnui', [1e300, 0, '1', '1']],
    ['nnui', [1.5, 0, '1', '1']],
    ['nnui', [2147483648, 0, '1', '1']],
    ['ris', ['NaN', '1', 'post']],
    ['ris', ['Infinity', '1', 'post']],
    ['ris', ['0.5', '1', 'po\u0000st']],
    ['ris', ['0.5', '1', 'x'.repeat(101)]],
    ['i', ['1', '2']],
    ['i', { 0: '1' }],
    ['x', ['1']],
  ])('refuses a forged cursor with a 400 naming cursor (%s %j)', (shape, key) => {
    expect(() => decodeCursor(b64(key), shape)).toThrow(DomainError);
    expect(() => decodeCursor(b64(key), shape)).toThrow(/^cursor /);
  });

  it('refuses text that is not base64url JSON, and passes no cursor through', () => {
    expect(() => decodeCursor('%%%', 'i')).toThrow(/^cursor /);
    expect(decodeCursor(undefined, 'i')).toBeUndefined();
  });
});
