import * as alphabet from '../src/captcha/image/alphabet';
import { startTestApp, type TestApp } from './app';
import { storedChallenge } from './factories/captcha';
import { solvePow, uniqueUsername, strongPassword } from './factories/users';

describe('Captcha (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const register = (captcha: unknown) => {
    const username = uniqueUsername('cap');
    return t.http
      .post('/api/auth/register')
      .send({ username, email: `${username}@example.org`, password: strongPassword(), captcha });
  };

  it('issues an image challenge as a PNG data URL, never with its answer', async () => {
    jest.spyOn(alphabet, 'randomCaptchaText').mockReturnValue('K7MRX');
    const res = await t.http.get('/api/captcha?kind=image').expect(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'image',
      image: expect.stringMatching(/^data:image\/png;base64,/),
      width: expect.any(Number),
      height: expect.any(Number),
      expiresAt: expect.any(String),
    });
    const png = Buffer.from(res.body.image.split(',')[1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.toString('latin1')).not.toMatch(/K7MRX/i);
    const stored = await storedChallenge(t, res.body.id);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toMatch(/K7MRX/i);
    expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it('accepts the image answer in any case and with spaces, once', async () => {
    jest.spyOn(alphabet, 'randomCaptchaText').mockReturnValue('AC3D4');
    const c = (await t.http.get('/api/captcha').expect(200)).body as { id: string };
    await register({ id: c.id, answer: ' ac3 d4 ' }).expect(201);
    const again = await register({ id: c.id, answer: 'AC3D4' }).expect(400);
    expect(again.body.message).toContain('captcha');
  });

  it('uses the challenge up on a wrong image answer', async () => {
    jest.spyOn(alphabet, 'randomCaptchaText').mockReturnValue('HJKMN');
    const c = (await t.http.get('/api/captcha?kind=image').expect(200)).body as { id: string };
    await register({ id: c.id, answer: 'HJKMM' }).expect(400);
    await register({ id: c.id, answer: 'HJKMN' }).expect(400);
  });

  it('issues an ALTCHA-compatible proof-of-work challenge', async () => {
    const res = await t.http.get('/api/captcha?kind=pow').expect(200);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'pow',
      algorithm: 'SHA-256',
      challenge: expect.stringMatching(/^[0-9a-f]{64}$/),
      salt: expect.stringContaining(`id=${res.body.id}`),
      maxNumber: 2000,
      maxnumber: 2000,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      expiresAt: expect.any(String),
    });
    await register({ id: res.body.id, number: solvePow(res.body) }).expect(201);
  });

  it('accepts the payload exactly as the ALTCHA widget submits it', async () => {
    const c = (await t.http.get('/api/captcha?kind=pow').expect(200)).body as {
      algorithm: string;
      challenge: string;
      salt: string;
      signature: string;
      maxNumber: number;
    };
    const payload = Buffer.from(
      JSON.stringify({
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: solvePow(c),
        salt: c.salt,
        signature: c.signature,
      }),
    ).toString('base64');
    await register({ payload }).expect(201);
    await register({ payload }).expect(400);
    await register({ payload: 'bm90IGpzb24=' }).expect(400);
  });

  it('refuses an unknown challenge id and a missing answer', async () => {
    await register({ id: '00000000-0000-4000-8000-000000000000', number: 1 }).expect(400);
    const c = (await t.http.get('/api/captcha?kind=pow').expect(200)).body as { id: string };
    const res = await register({ id: c.id }).expect(400);
    expect(res.body.message).toContain('captcha');
  });

  it('hands a challenge out once even to concurrent answers', async () => {
    const c = (await t.http.get('/api/captcha?kind=pow').expect(200)).body as {
      id: string;
      salt: string;
      challenge: string;
      maxNumber: number;
    };
    const captcha = { id: c.id, number: solvePow(c) };
    const results = await Promise.all([register(captcha), register(captcha), register(captcha)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
  });
});

describe('Captcha issuing limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', CAPTCHA_ISSUE_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the per-IP limit', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/api/captcha?kind=pow').expect(200);
    const res = await t.http.get('/api/captcha?kind=pow').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });
});
