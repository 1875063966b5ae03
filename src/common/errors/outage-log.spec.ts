import { OUTAGE_QUIET_MS, OutageLog } from './outage-log';

describe(OutageLog.name, () => {
  it('logs an outage once when it starts, and counts the 503s of the previous one in the next line', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const log = new OutageLog({ warn: (m: string) => lines.push(m) }, () => now);

    for (let i = 0; i < 50; i++) {
      log.seen('database unreachable');
      now += 100;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('database unreachable');

    now += OUTAGE_QUIET_MS + 1;
    log.seen('redis unreachable');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('the previous outage answered 50 requests with 503');
  });
});
