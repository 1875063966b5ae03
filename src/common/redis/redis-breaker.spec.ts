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
});
