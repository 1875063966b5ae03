import type { ActiveSanction } from './principal';
import { type Intent, sanctionRefusal, signInRefusal } from './sanction-policy';

const sanction = (kind: ActiveSanction['kind'], until: string | null = null): ActiveSanction => ({
  kind,
  reason: 'spam',
  until,
});

describe(sanctionRefusal.name, () => {
  // what each standing may do, intent by intent: `true` = allowed
  const table: Array<[string, ActiveSanction | undefined, Record<Intent, boolean>]> = [
    ['no sanction', undefined, { read: true, write: true, 'sign-in': true, 'sign-out': true }],
    ['silence', sanction('silence'), { read: true, write: false, 'sign-in': true, 'sign-out': true }],
    ['suspend', sanction('suspend'), { read: false, write: false, 'sign-in': false, 'sign-out': true }],
    ['ban', sanction('ban'), { read: false, write: false, 'sign-in': false, 'sign-out': true }],
  ];
  const rows = table.flatMap(([name, s, allows]) =>
    (Object.entries(allows) as Array<[Intent, boolean]>).map(
      ([intent, allowed]) => [name, intent, allowed, s] as const,
    ),
  );

  it.each(rows)('%s, %s: allowed = %s', (_name, intent, allowed, s) => {
    const refusal = sanctionRefusal(s, intent);
    if (allowed) expect(refusal).toBeUndefined();
    else expect(refusal).toMatchObject({ code: 'forbidden', message: expect.stringContaining('spam') });
  });

  it('names the kind, the reason and the end', () => {
    const until = '2030-01-01T00:00:00.000Z';
    expect(sanctionRefusal(sanction('silence', until), 'write')?.message).toBe(
      `You are silenced until ${until}: spam. You can still read.`,
    );
    expect(sanctionRefusal(sanction('suspend', until), 'read')?.message).toBe(
      `Your account is suspended until ${until}: spam`,
    );
    expect(sanctionRefusal(sanction('ban'), 'write')?.message).toBe('Your account is banned: spam');
  });

  it('refuses signing in exactly as the sign-in intent does', () => {
    for (const kind of ['silence', 'suspend', 'ban'] as const) {
      expect(signInRefusal(sanction(kind))).toEqual(sanctionRefusal(sanction(kind), 'sign-in'));
    }
  });
});
