import { safeLocalPath } from './safe-path';

describe(safeLocalPath.name, () => {
  it.each([
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\\evil.example',
    '/%5Cevil.example',
    '//evil.example',
    '/%2F/evil.example',
    '/%252F%252Fevil.example',
    '%0d%0a/evil',
    '/ok%0d%0aSet-Cookie:x',
    '/ok\r\nSet-Cookie: x',
    '/\u00a0/evil.example',
    '/\u2028/evil.example',
    '/\u200b/evil.example',
    '/%E2%80%8B/evil.example',
    '/é',
    'https://evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/%zz',
    '',
    undefined,
    42,
  ])('falls back to / for %j', (next) => {
    expect(safeLocalPath(next)).toBe('/');
    expect(safeLocalPath(next, '/u/me')).toBe('/u/me');
  });

  it.each([
    '/',
    '/t/12',
    '/t/12/scan-days?cursor=WyIxIl0#post-3',
    '/search?q=scan%2Bdays',
    '/search?q=a%20b',
    '/c/caregivers',
  ])('follows the same-site path %j as given', (next) => {
    expect(safeLocalPath(next)).toBe(next);
  });
});
