import { accountOf, type BrakeCounts, brakeVerdict, type BrakeVerdict } from './login-throttle';

const limits = { clientCaptchaAfter: 5, clientRefusedAfter: 30, accountCaptchaAfter: 10, windowSeconds: 900 };

describe(brakeVerdict.name, () => {
  const cases: Array<[string, BrakeCounts, BrakeVerdict]> = [
    ['a fresh client, a quiet account', { client: 0, pair: 0, account: 0 }, 'open'],
    ['a fresh client, an account under attack', { client: 0, pair: 0, account: 500 }, 'open'],
    ['a client that failed elsewhere, an account under attack', { client: 3, pair: 0, account: 500 }, 'open'],
    ['a client that failed on the attacked account', { client: 1, pair: 1, account: 10 }, 'captcha'],
    ['a client that failed on an account just under its threshold', { client: 1, pair: 1, account: 9 }, 'open'],
    ['a client under its own threshold, on one account', { client: 4, pair: 4, account: 4 }, 'open'],
    ['a client at its own threshold', { client: 5, pair: 0, account: 0 }, 'captcha'],
    ['a client far past its own threshold', { client: 29, pair: 29, account: 29 }, 'captcha'],
    ['a client at its refusal threshold', { client: 30, pair: 0, account: 0 }, 'refused'],
  ];
  it.each(cases)('%s', (_name, counts, verdict) => {
    expect(brakeVerdict(counts, limits)).toBe(verdict);
  });

  it('never lets one client’s failures on one account ask more of it than its failures on all accounts', () => {
    // The pair count alone never changes the verdict: a username's failures do not show on its email.
    for (let client = 0; client < 40; client++) {
      for (let pair = 0; pair <= client; pair++) {
        expect(brakeVerdict({ client, pair, account: pair }, limits)).toBe(
          brakeVerdict({ client, pair: 0, account: 0 }, limits),
        );
      }
    }
  });
});

describe(accountOf.name, () => {
  it('keys a member by id whatever was typed, and a login naming nobody by its text', () => {
    expect(accountOf('42', 'Ann')).toBe(accountOf('42', 'ann@example.org'));
    expect(accountOf(undefined, ' Ghost ')).toBe(accountOf(undefined, 'ghost'));
    expect(accountOf(undefined, 'ghost')).not.toBe(accountOf(undefined, 'ghost@example.org'));
  });
});
