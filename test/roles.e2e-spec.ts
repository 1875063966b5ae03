import { runCli } from '../src/cli/cli';
import { startTestApp, TEST_ENV, type TestApp } from './app';
import { bearer, createUser } from './factories/users';

describe('Roles and the admin CLI (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const out = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const code = await runCli(argv, { ...process.env, ...TEST_ENV }, out);
    return { code, output: lines.join('\n') };
  };

  it('users:set-role takes effect on the very next request with the same token', async () => {
    const u = await createUser(t);
    let me = await t.http.get('/api/me').set(bearer(u.accessToken)).expect(200);
    expect(me.body.role).toBe('member');

    const result = await cli('users:set-role', u.username, 'moderator');
    expect(result).toEqual({ code: 0, output: `${u.username} is now moderator` });
    me = await t.http.get('/api/me').set(bearer(u.accessToken)).expect(200);
    expect(me.body.role).toBe('moderator');
    const profile = await t.http.get(`/api/users/${u.username}`).expect(200);
    expect(profile.body.role).toBe('moderator');

    await cli('users:set-role', u.username, 'member');
    me = await t.http.get('/api/me').set(bearer(u.accessToken)).expect(200);
    expect(me.body.role).toBe('member');
  });

  it('refuses an unknown user, an unknown role and bad usage', async () => {
    expect(await cli('users:set-role', 'nobody_here_at_all', 'admin')).toEqual({ code: 1, output: 'User not found' });
    expect((await cli('users:set-role', 'someone', 'overlord')).code).toBe(2);
    expect((await cli('users:delete-everything')).code).toBe(2);
    expect((await cli()).output).toContain('Usage');
  });
});
