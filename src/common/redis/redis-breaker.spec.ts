import { REDIS_RETRY_AFTER_MS, RedisBreaker } from './redis-breaker';

describe(RedisBreaker.name, () => {
  it('answers from the fallback while Redis fails, tries Redis again after the pause, and closes when it answers', async () => {
    let now = 0;
    let redisUp = true;
    let redisCalls = 0;
    const breaker = new RedisBreaker('test counts in this process', () => now);
    const op = () => {
      redisCalls += 1;
      return redisUp ? Promise.resolve('redis') : Promise.reject(new Error('Command timed out'));
    };

    expect(await breaker.run(op, () => 'local')).toBe('redis');
    redisUp = false;
    expect(await breaker.run(op, () => 'local')).toBe('local');
    expect(breaker.isOpen).toBe(true);
    const callsWhenOpened = redisCalls;
    for (let i = 0; i < 20; i++) expect(await breaker.run(op, () => 'local')).toBe('local');
    expect(redisCalls).toBe(callsWhenOpened); // open: Redis is left alone, nobody waits for its timeout

    now += REDIS_RETRY_AFTER_MS + 1;
    redisUp = true;
    expect(await breaker.run(op, () => 'local')).toBe('redis');
    expect(breaker.isOpen).toBe(false);
  });

  it('follows the breaker that runs earlier in a request, so a request waits once, without opening it', async () => {
    let now = 0;
    const limits = new RedisBreaker('test limits count in this process', () => now);
    const captcha = new RedisBreaker('test captcha answers 503', () => now, limits);
    let captchaCalls = 0;
    const store = () => ((captchaCalls += 1), Promise.resolve('stored'));
    const refuse = () => Promise.reject(new Error('503'));

    // The rate limit finds Redis away: the captcha goes straight to its refusal, without waiting for Redis again.
    expect(
      await limits.run(
        () => Promise.reject(new Error('Command timed out')),
        () => 'local',
      ),
    ).toBe('local');
    await expect(captcha.run(store, refuse)).rejects.toThrow('503');
    expect(captchaCalls).toBe(0);

    // After the pause both try Redis again.
    now += REDIS_RETRY_AFTER_MS + 1;
    expect(await captcha.run(store, refuse)).toBe('stored');
    expect(captchaCalls).toBe(1);

    // The captcha's own failure is its own: the rate limit still asks Redis.
    expect(
      await captcha.run(
        () => Promise.reject(new Error('Command timed out')),
        () => 'refused',
      ),
    ).toBe('refused');
    expect(captcha.isOpen).toBe(true);
    expect(limits.isOpen).toBe(false);
    expect(
      await limits.run(
        () => Promise.resolve('redis'),
        () => 'local',
      ),
    ).toBe('redis');
  });
});
