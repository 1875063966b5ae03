import { loadConfig } from '../config/config';
import { mayReadOutbox, outboxOpenLocally } from './outbox-access';

const secrets = {
  JWT_SECRET: 'x'.repeat(40),
  CAPTCHA_SECRET: 'y'.repeat(40),
  IP_HASH_SECRET: 'z'.repeat(40),
  JOURNAL_SECRET: 'w'.repeat(40),
  DATA_DIR: '/tmp/haven-outbox-access-spec',
};

describe('who may read the outbox', () => {
  const trial = loadConfig({ ...secrets, NODE_ENV: 'development' });
  const withSmtp = loadConfig({ ...secrets, NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525' });
  const production = loadConfig({ ...secrets, NODE_ENV: 'production' });

  it('lets admins read it anywhere', () => {
    for (const config of [trial, withSmtp, production])
      expect(mayReadOutbox(config, 'admin', '203.0.113.9')).toBe(true);
  });

  it('opens it to someone at the machine of a trial server without SMTP, and to nobody else', () => {
    expect(outboxOpenLocally(trial)).toBe(true);
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(mayReadOutbox(trial, undefined, ip)).toBe(true);
    for (const ip of ['10.0.0.2', '203.0.113.9', '::ffff:10.0.0.2', '1127.0.0.1']) {
      expect(mayReadOutbox(trial, undefined, ip)).toBe(false);
      expect(mayReadOutbox(trial, 'moderator', ip)).toBe(false);
    }
  });

  it('keeps it closed to non-admins once mail is sent for real, or in production', () => {
    for (const config of [withSmtp, production]) {
      expect(outboxOpenLocally(config)).toBe(false);
      expect(mayReadOutbox(config, undefined, '127.0.0.1')).toBe(false);
      expect(mayReadOutbox(config, 'member', '127.0.0.1')).toBe(false);
    }
  });
});
