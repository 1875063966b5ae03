import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Clock } from './clock';
import { ClockWindows } from './clock-windows';

/** The windows must close when the injected clock says so, in memory and in Redis (whose own TTLs run in real time). */
describe(ClockWindows.name, () => {
  const redisUrl = process.env.REDIS_URL;
  const redis = redisUrl
    ? new Redis(redisUrl, { keyPrefix: `haven:test:windows:${randomBytes(3).toString('hex')}:` })
    : null;
  afterAll(() => redis?.quit());

  const stores: Array<[string, () => ClockWindows, Clock]> = [];
  const memoryClock = new Clock();
  const redisClock = new Clock();
  stores.push(['memory', () => new ClockWindows(null, memoryClock), memoryClock]);
  if (redis) stores.push(['Redis', () => new ClockWindows(redis, redisClock), redisClock]);

  it.each(stores)(
    'counts hits in a window and opens a new one when the clock passes it (%s)',
    async (_, make, clock) => {
      const windows = make();
      const key = `k:${randomBytes(4).toString('hex')}`;
      expect(await windows.hit(key, 5)).toEqual({ count: 1, resetSeconds: 5 });
      expect(await windows.hit(key, 5)).toMatchObject({ count: 2 });
      clock.advance(4_000);
      expect(await windows.hit(key, 5)).toEqual({ count: 3, resetSeconds: 1 });
      clock.advance(1_000);
      expect(await windows.hit(key, 5)).toEqual({ count: 1, resetSeconds: 5 });
      await windows.reset(key);
      expect(await windows.hit(key, 5)).toMatchObject({ count: 1 });
    },
  );

  it('never moves back', () => {
    expect(() => new Clock().advance(-1)).toThrow(RangeError);
  });
});
