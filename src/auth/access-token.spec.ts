import fc from 'fast-check';
import { signAccessToken, verifyAccessToken } from './access-token';

const SECRET = 's'.repeat(40);

describe(verifyAccessToken.name, () => {
  it('accepts its own token and returns the claims', () => {
    const { token, expiresAt } = signAccessToken({ sub: '42', sid: 'abc' }, SECRET, 900);
    expect(verifyAccessToken(token, SECRET)).toMatchObject({ sub: '42', sid: 'abc' });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(890_000);
  });

  it('refuses another secret, an expired token and "alg: none"', () => {
    const { token } = signAccessToken({ sub: '42', sid: 'abc' }, SECRET, 900);
    expect(verifyAccessToken(token, 'x'.repeat(40))).toBeUndefined();
    expect(verifyAccessToken(signAccessToken({ sub: '1', sid: 'a' }, SECRET, -1).token, SECRET)).toBeUndefined();
    const [, payload] = token.split('.');
    const none = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    expect(verifyAccessToken(`${none}.${payload}.`, SECRET)).toBeUndefined();
  });

  it('refuses any single-character change to a token', () => {
    const { token } = signAccessToken({ sub: '42', sid: 'abc' }, SECRET, 900);
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'ABCxyz019-_.'), (i, ch) => {
        fc.pre(token[i] !== ch);
        const changed = token.slice(0, i) + ch + token.slice(i + 1);
        // base64url's last character may carry padding bits that decode to the same bytes; such twins verify
        // only if they decode to the very same signature, which is what matters.
        const claims = verifyAccessToken(changed, SECRET);
        if (claims)
          expect(Buffer.from(changed.split('.')[2], 'base64url')).toEqual(
            Buffer.from(token.split('.')[2], 'base64url'),
          );
      }),
    );
  });

  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.string(), (s) => verifyAccessToken(s, SECRET) === undefined));
  });
});
