import { startTestApp, type TestApp } from './app';
import { solvedCaptcha, strongPassword, uniqueUsername } from './factories/users';

/** New passwords are judged by a strength estimator that knows the account's own names, not by length alone. */
describe('New passwords (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const register = async (password: (account: { username: string; email: string }) => string, displayName?: string) => {
    const username = uniqueUsername('pw');
    const email = `rose.hartley.${username.slice(-6)}@example.org`;
    return t.http.post('/api/auth/register').send({
      username,
      email,
      displayName,
      password: password({ username, email }),
      captcha: await solvedCaptcha(t.http),
    });
  };

  it.each([
    ['ten identical characters', () => 'aaaaaaaaaa'],
    ['ten spaces', () => '          '],
    ['the account’s own e-mail address', ({ email }: { email: string }) => email],
    ['a keyboard walk with a year', () => 'qwerty2024!'],
    ['a l33t common word', () => 'P4$$w0rd1234'],
  ])('refuses %s with 400, saying how to make it stronger', async (_what, password) => {
    const res = await register(password);
    expect(res.status).toBe(400);
    const message = JSON.stringify(res.body.message);
    expect(message).toContain('password is too easy to guess');
    expect(message).toMatch(/Try three or four words|try three or four words/);
  });

  it('refuses a password made of the display name', async () => {
    const res = await register(() => 'Marguerite Delacroix', 'Marguerite Delacroix');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('password is too easy to guess');
  });

  it('accepts a long password of unrelated words, and the test factories’ passwords', async () => {
    for (const password of ['lantern-quietly-orchard-seven', strongPassword(), 'calm-river-morning-light']) {
      expect((await register(() => password)).status).toBe(201);
    }
  });
});
