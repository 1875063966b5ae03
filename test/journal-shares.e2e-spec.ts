import { AccountDeletionService } from '../src/account/account-deletion.service';
import { Clock } from '../src/common/clock/clock';
import { JournalReminders } from '../src/journal/journal-reminders';
import { JournalService } from '../src/journal/journal.service';
import { bearer, createUser, type TestUser } from './factories/users';
import { type AccountApp, startAccountApp } from './support/account-app';
import { advanceClock } from './support/clock';

type Share = {
  id: string;
  from: string;
  to: string;
  status: string;
  revokedAt: string | null;
  views: Array<{ at: string; browser: string; device: string }>;
  viewCount: number;
};

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/**
 * Sharing a period of the journal by link (issue 15, item 4), and her journal as her data: in her archive, gone
 * with her account. Each test moves the app's clock only forward, and makes its own members.
 */
describe(`${JournalService.name} shares and her data`, () => {
  let a: AccountApp;
  beforeAll(async () => {
    a = await startAccountApp();
  });
  afterAll(() => a.close());

  const put = (user: TestUser, date: string, entry: Record<string, unknown>) =>
    a.t.http.put(`/api/journal/entries/${date}`).set(bearer(user.accessToken)).send(entry).expect(201);
  const share = async (user: TestUser, body: Record<string, unknown>) =>
    (await a.t.http.post('/api/journal/shares').set(bearer(user.accessToken)).send(body).expect(201)).body as {
      share: Share;
      token: string;
      url: string;
    };
  const shares = async (user: TestUser) =>
    (await a.t.http.get('/api/journal/shares').set(bearer(user.accessToken)).expect(200)).body as Share[];

  describe('share links', () => {
    it('shows only the chosen period to anyone with the link, and lists every view for her', async () => {
      const ann = await createUser(a.t);
      await put(ann, daysAgo(10), { symptoms: [{ name: 'fatigue', grade: 1 }], note: 'Before the period' });
      await put(ann, daysAgo(5), { symptoms: [{ name: 'fatigue', grade: 3 }], note: 'Within, day one' });
      await put(ann, daysAgo(3), { symptoms: [{ name: 'nausea', grade: 2 }], temperatureC: 38.3 });
      await put(ann, daysAgo(1), { symptoms: [{ name: 'fatigue', grade: 2 }], note: 'After the period' });
      await a.t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ careNumbers: [{ label: 'Acute oncology', number: '0800 000 111' }] })
        .expect(200);

      const made = await share(ann, { from: daysAgo(6), to: daysAgo(2), expiresInDays: 7 });
      expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(made.url).toBe(`http://haven.test/journal/shared/${made.token}`);
      expect(made.share).toMatchObject({ from: daysAgo(6), to: daysAgo(2), status: 'live', viewCount: 0 });
      // Only the token's hash is kept.
      const stored = (await a.t.db.query(`SELECT token_hash FROM journal_shares WHERE id = $1`, [
        made.share.id,
      ])) as Array<{
        token_hash: string;
      }>;
      expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].token_hash).not.toContain(made.token);

      const seen = await a.t.http.get(`/api/journal/shared/${made.token}`).set('User-Agent', PHONE).expect(200);
      expect(seen.headers['cache-control']).toBe('private, no-store');
      const body = seen.body as {
        from: string;
        to: string;
        ownerDisplayName: string;
        entries: Array<{ date: string; note: string | null }>;
        summary: { from: string; to: string; symptoms: Array<{ name: string }> };
      };
      expect(body).toMatchObject({ from: daysAgo(6), to: daysAgo(2), ownerDisplayName: ann.username });
      expect(body.entries.map((e) => e.date)).toEqual([daysAgo(3), daysAgo(5)]);
      expect(body.summary).toMatchObject({ from: daysAgo(6), to: daysAgo(2) });
      expect(body.summary.symptoms.map((s) => s.name)).toEqual(['fatigue', 'nausea']);
      // Never the days outside the period, her care numbers, her settings or her address.
      for (const hidden of ['Before the period', 'After the period', '0800 000 111', 'Acute oncology', ann.email]) {
        expect(seen.text).not.toContain(hidden);
      }
      // Nor that a day (38.3 °C) asked her to call her care team.
      expect(seen.text).not.toContain('callCareTeam');
      expect(body.summary).toMatchObject({ temperatures: [{ date: daysAgo(3), temperatureC: 38.3 }], callDays: [] });

      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(200);
      const [listed] = await shares(ann);
      expect(listed).toMatchObject({ id: made.share.id, status: 'live', viewCount: 2 });
      expect(listed.views.map((v) => [v.browser, v.device])).toEqual([
        ['Other', 'other'],
        ['Safari', 'phone'],
      ]);
      const views = (await a.t.db.query(`SELECT * FROM journal_share_views WHERE share_id = $1`, [
        made.share.id,
      ])) as Array<Record<string, unknown>>;
      expect(Object.keys(views[0]).sort()).toEqual(['browser', 'device', 'id', 'share_id', 'viewed_at']);
    });

    it('stops at once when she revokes it (410, nothing of the journal), and only she may revoke it', async () => {
      const ann = await createUser(a.t);
      const other = await createUser(a.t);
      await put(ann, daysAgo(1), { symptoms: [{ name: 'pain', grade: 2 }], note: 'Revocable words' });
      const made = await share(ann, { from: daysAgo(3), to: daysAgo(0), expiresInDays: 1 });
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(200);
      await a.t.http.delete(`/api/journal/shares/${made.share.id}`).set(bearer(other.accessToken)).expect(404);
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(200);
      expect(await shares(other)).toEqual([]);

      await a.t.http.delete(`/api/journal/shares/${made.share.id}`).set(bearer(ann.accessToken)).expect(204);
      const gone = await a.t.http.get(`/api/journal/shared/${made.token}`).expect(410);
      expect(gone.text).not.toContain('Revocable words');
      expect(gone.body).toMatchObject({ statusCode: 410, error: 'Gone' });
      const [listed] = await shares(ann);
      expect(listed).toMatchObject({ status: 'revoked', viewCount: 2 });
      expect(listed.revokedAt).not.toBeNull();
      // Revoking again is harmless; an unknown one is not hers.
      await a.t.http.delete(`/api/journal/shares/${made.share.id}`).set(bearer(ann.accessToken)).expect(204);
      await a.t.http.delete('/api/journal/shares/999999999').set(bearer(ann.accessToken)).expect(404);
    });

    it('expires after the days she chose (410), and an unknown or malformed token is 404', async () => {
      const ann = await createUser(a.t);
      await put(ann, daysAgo(0), { symptoms: [{ name: 'sleep', grade: 1 }] });
      const made = await share(ann, { from: daysAgo(0), to: daysAgo(0), expiresInDays: 2 });
      advanceClock(a.t, 2 * 86_400 - 60);
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(200);
      advanceClock(a.t, 120);
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(410);
      expect((await shares(ann))[0]).toMatchObject({ status: 'expired', viewCount: 1 });
      await a.t.http.get(`/api/journal/shared/${'A'.repeat(43)}`).expect(404);
      await a.t.http.get('/api/journal/shared/not-a-token').expect(404);
    });

    it('refuses a period or a lifetime out of bounds (400 naming the field)', async () => {
      const ann = await createUser(a.t);
      const refused = async (body: Record<string, unknown>, words: string) => {
        const res = await a.t.http.post('/api/journal/shares').set(bearer(ann.accessToken)).send(body).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(words);
      };
      const ok = { from: daysAgo(7), to: daysAgo(0), expiresInDays: 7 };
      await refused({ ...ok, expiresInDays: 0 }, 'expiresInDays must be a whole number from 1 to 30');
      await refused({ ...ok, expiresInDays: 31 }, 'expiresInDays must be a whole number from 1 to 30');
      await refused({ ...ok, expiresInDays: 1.5 }, 'expiresInDays must be a whole number from 1 to 30');
      await refused({ ...ok, from: daysAgo(0), to: daysAgo(7) }, 'from must not be after to');
      await refused({ ...ok, from: '2026-13-01' }, 'from must be a day written YYYY-MM-DD');
      await refused({ to: daysAgo(0), expiresInDays: 3 }, 'from must be a day written YYYY-MM-DD');
      expect(await shares(ann)).toEqual([]);
    });
  });

  describe('her data', () => {
    it('goes into her archive, opened for her', async () => {
      const ann = await createUser(a.t);
      await put(ann, daysAgo(2), { symptoms: [{ name: 'anxiety', grade: 2 }], note: 'Archive words' });
      await a.t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ medicines: ['Tamoxifen'], reminder: { frequency: 'daily', hour: 20 } })
        .expect(200);
      await share(ann, { from: daysAgo(2), to: daysAgo(2), expiresInDays: 3 });
      await a.t.http.post('/api/me/export').set(bearer(ann.accessToken)).expect(202);
      await a.smtp.waitFor(ann.email, (m) => m.subject.includes('ready to download'));
      const file = await a.t.http.get('/api/me/export/file').set(bearer(ann.accessToken)).expect(200);
      const archive = JSON.parse(file.text) as {
        journal: unknown[];
        journal_settings: unknown[];
        journal_shares: unknown[];
      };
      expect(archive.journal_shares).toEqual([
        expect.objectContaining({ from: daysAgo(2), to: daysAgo(2), status: 'live', views: [] }),
      ]);
      expect(file.text).not.toMatch(/"token/);
      expect(archive.journal).toEqual([
        expect.objectContaining({
          date: daysAgo(2),
          symptoms: [{ name: 'anxiety', label: 'Anxiety', grade: 2, note: null }],
          note: 'Archive words',
        }),
      ]);
      expect(archive.journal_settings).toEqual([
        expect.objectContaining({ medicines: ['Tamoxifen'], reminder: { frequency: 'daily', hour: 20, weekday: 1 } }),
      ]);
      // The mail that her archive is ready says nothing of the journal.
      const mails = a.smtp.to(ann.email);
      expect(mails.map((m) => m.text).join('\n')).not.toContain('Archive words');
    });

    it('goes with her account: entries, settings, shares and their views', async () => {
      const ann = await createUser(a.t);
      await put(ann, daysAgo(1), { symptoms: [{ name: 'fatigue', grade: 2 }] });
      await a.t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ ownSymptoms: ['Itchy skin'] })
        .expect(200);
      const made = await share(ann, { from: daysAgo(1), to: daysAgo(1), expiresInDays: 30 });
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(200);
      await a.t.http
        .delete('/api/me')
        .set(bearer(ann.accessToken))
        .send({ password: ann.password, content: 'delete' })
        .expect(202);
      advanceClock(a.t, 7 * 86_400 + 60);
      expect(await a.t.app.get(AccountDeletionService).sweep()).toBeGreaterThanOrEqual(1);
      for (const [table, column, value] of [
        ['journal_entries', 'user_id', ann.id],
        ['journal_settings', 'user_id', ann.id],
        ['journal_shares', 'user_id', ann.id],
        ['journal_share_views', 'share_id', made.share.id],
      ]) {
        const rows = (await a.t.db.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [value])) as unknown[];
        expect([table, rows.length]).toEqual([table, 0]);
      }
      await a.t.http.get(`/api/journal/shared/${made.token}`).expect(404);
    });
  });

  describe('reminders', () => {
    it('mails "your journal" at her hour, once a day, with nothing she wrote; its link stops them', async () => {
      const ann = await createUser(a.t);
      await put(ann, daysAgo(0), { symptoms: [{ name: 'fatigue', grade: 3 }], note: 'Reminder-proof words' });
      const clock = a.t.app.get(Clock);
      const hour = (new Date(clock.now()).getUTCHours() + 2) % 24;
      await a.t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ reminder: { frequency: 'daily', hour } })
        .expect(200);
      const dueOf = async () =>
        (
          (await a.t.db.query(`SELECT reminder_due_at AS due FROM journal_settings WHERE user_id = $1`, [
            ann.id,
          ])) as Array<{ due: Date | null }>
        )[0].due;
      const due = await dueOf();
      expect(due?.getUTCHours()).toBe(hour);
      expect(due!.getTime()).toBeGreaterThan(clock.now());
      expect(due!.getTime() - clock.now()).toBeLessThanOrEqual(2 * 3600_000);

      const reminders = a.t.app.get(JournalReminders);
      await reminders.run(clock.date());
      const keys = async () =>
        (
          (await a.t.db.query(`SELECT key FROM mail_messages WHERE key LIKE $1`, [
            `journal-reminder:${ann.id}:%`,
          ])) as unknown[]
        ).length;
      expect(await keys()).toBe(0);

      advanceClock(a.t, 2 * 3600 + 60);
      expect(await reminders.run(clock.date())).toBeGreaterThanOrEqual(1);
      const mail = await a.smtp.waitFor(ann.email, (m) => m.subject === 'Your journal');
      expect(mail.text).toContain('http://haven.test/journal');
      for (const word of ['Reminder-proof', 'fatigue', 'Fatigue', 'severe']) {
        expect(mail.text + mail.html).not.toContain(word);
      }
      expect((await dueOf())!.getTime()).toBe(due!.getTime() + 86_400_000);
      // A second run at the same moment sends nothing more.
      await reminders.run(clock.date());
      expect(await keys()).toBe(1);

      // The one-click link stops her reminders.
      const link = /<([^>]+)>/.exec(mail.header['list-unsubscribe'])![1];
      await a.t.http.post(new URL(link).pathname).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(await dueOf()).toBeNull();
      const settings = await a.t.http.get('/api/journal/settings').set(bearer(ann.accessToken)).expect(200);
      expect(settings.body).toMatchObject({ reminder: { frequency: 'off', hour } });
    });

    it('refuses a reminder that is not daily, weekly or off, or an hour out of the day (400)', async () => {
      const ann = await createUser(a.t);
      for (const [reminder, words] of [
        [{ frequency: 'hourly' }, 'reminder.frequency must be one of off, daily, weekly'],
        [{ frequency: 'daily', hour: 24 }, 'reminder.hour must be a whole number from 0 to 23'],
        [{ frequency: 'weekly', weekday: 0 }, 'reminder.weekday must be a whole number from 1 (Monday) to 7'],
      ] as const) {
        const res = await a.t.http
          .patch('/api/journal/settings')
          .set(bearer(ann.accessToken))
          .send({ reminder })
          .expect(400);
        expect(JSON.stringify(res.body.message)).toContain(words);
      }
    });
  });
});
