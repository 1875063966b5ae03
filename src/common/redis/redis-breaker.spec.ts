import { REDIS_RETRY_AFTER_MS, RedisBreaker } from './redis-breaker';

describe(RedisBreaker.name, () => {
  it('answers from the fallback while Redis fails, tries Redis again after the pause, and closes when it answers', async () => {
    let now = 0;
    let redisUp = true;
    let redisCalls = 0;
    const breaker = new RedisBreaker({}, 'test counts in this process', () => now);
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

  it('shares what it found with the other breakers of the same connection, so a request pays the deadline once', async () => {
    let now = 0;
    const connection = {};
    const limits = new RedisBreaker(connection, 'test limits count in this process', () => now);
    const captcha = new RedisBreaker(connection, 'test captcha answers 503', () => now);
    const elsewhere = new RedisBreaker({}, 'another connection', () => now);
    let captchaCalls = 0;

    expect(
      await limits.run(
        () => Promise.reject(new Error('Command timed out')),
        () => 'local',
      ),
    ).toBe('local');
    await expect(
      captcha.run(
        () => ((captchaCalls += 1), Promise.resolve('stored')),
        () => Promise.reject(new Error('503')),
      ),
    ).rejects.toThrow('503');
    expect(captchaCalls).toBe(0); // straight to its fallback: it did not wait for Redis again
    expect(captcha.isOpen).toBe(true);
    expect(
      await elsewhere.run(
        () => Promise.resolve('redis'),
        () => 'local',
      ),
    ).toBe('redis');

    now += REDIS_RETRY_AFTER_MS + 1;
    expect(
      await captcha.run(
        () => ((captchaCalls += 1), Promise.resolve('stored')),
        () => 'refused',
      ),
    ).toBe('stored');
    expect(captchaCalls).toBe(1);
    expect(limits.isOpen).toBe(false);
  });
});
