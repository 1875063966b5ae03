import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Access tokens are HS256 JWTs: `{sub, sid, iat, exp}`. Only this exact header is accepted, so no token can choose
 * its own algorithm ("alg: none", key confusion).
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

export function signAccessToken(
  claims: Omit<AccessClaims, 'iat' | 'exp'>,
  secret: string,
  ttlSeconds: number,
): {
  token: string;
  expiresAt: Date;
} {
  const iat = Math.floor(Date.now() / 1000);
  const payload: AccessClaims = { ...claims, iat, exp: iat + ttlSeconds };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return { token: `${body}.${sign(body, secret)}`, expiresAt: new Date(payload.exp * 1000) };
}

/** The claims of a genuine, unexpired token; undefined for anything else. */
export function verifyAccessToken(token: string, secret: string): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, secret));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claims: Partial<AccessClaims>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<AccessClaims>;
  } catch {
    return undefined;
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') {
    return undefined;
  }
  if (claims.exp <= Math.floor(Date.now() / 1000)) return undefined;
  return claims as AccessClaims;
}

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}
