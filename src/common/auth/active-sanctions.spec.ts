import { ActiveSanctions, toActiveSanction } from './active-sanctions';

describe(ActiveSanctions.name, () => {
  it('refuses to answer before moderation registered its reader (never "no sanction" by default)', () => {
    expect(() => new ActiveSanctions().sql('u.id')).toThrow(/No active-sanction reader/);
  });

  it("hands out the registered reader's join and columns for the caller's member column", () => {
    const sanctions = new ActiveSanctions();
    sanctions.register({
      lateralJoin: (column, alias) => `JOIN x ${alias} ON ${alias}.user_id = ${column}`,
      columns: (alias) => `${alias}.kind AS "sanctionKind"`,
    });
    expect(sanctions.sql('u.id')).toEqual({
      join: 'JOIN x active ON active.user_id = u.id',
      columns: 'active.kind AS "sanctionKind"',
    });
  });

  it.each([
    [undefined, undefined],
    [{ sanctionKind: null, sanctionReason: null, sanctionUntil: null }, undefined],
    [
      { sanctionKind: 'ban' as const, sanctionReason: null, sanctionUntil: null },
      { kind: 'ban', reason: '', until: null },
    ],
    [
      { sanctionKind: 'suspend' as const, sanctionReason: 'cool off', sanctionUntil: new Date('2030-01-02T03:04:05Z') },
      { kind: 'suspend', reason: 'cool off', until: '2030-01-02T03:04:05.000Z' },
    ],
  ])('maps the selected columns %j to the principal sanction %j', (columns, expected) => {
    expect(toActiveSanction(columns)).toEqual(expected);
  });
});
