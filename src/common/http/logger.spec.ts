import { redactUrl } from './logger';

describe(redactUrl.name, () => {
  it.each([
    ['/api/threads/42', '/api/threads/42'],
    ['/api/auth/socket?token=abc&x=1', '/api/auth/socket?token=…&x=…'],
    ['/api/journal/shared/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhx', '/api/journal/shared/…'],
    ['/journal/shared/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhx?x=1', '/journal/shared/…?x=…'],
    ['/api/journal/entries/2026-03-14', '/api/journal/entries/…'],
    ['/api/journal/entries?from=2026-03-01&to=2026-03-14', '/api/journal/entries?from=…&to=…'],
  ])('logs %s as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
