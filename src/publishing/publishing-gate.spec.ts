import type { DataSource, EntityManager } from 'typeorm';
import type { EventName, EventPayload } from '../common/events';
import type { TypedEvents } from '../common/typed-events';
import type { Role } from '../common/auth/role';
import { Publications } from './publications';
import { type Approval, type PublishingRequest, PublishingGate } from './publishing-gate';
import type { ReviewItem, ReviewSink } from './review-sink';

/** A gate over a stand-in database that answers "is this member new?" and a bus that keeps what was emitted. */
function gateFor(isNew: boolean) {
  const db = { query: () => Promise.resolve([{ isNew }]) } as unknown as DataSource;
  const emitted: Array<{ event: EventName; payload: unknown }> = [];
  const events = {
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => emitted.push({ event, payload }),
  } as unknown as TypedEvents;
  return { gate: new PublishingGate(db, events, new Publications()), emitted };
}

const request = (
  author: { role: Role } | 'guest',
  approval: Approval,
  action: 'create' | 'edit',
): PublishingRequest => ({
  kind: 'post',
  action,
  author: author === 'guest' ? { guest: true } : { id: '1', role: author.role },
  text: 'plain words',
  approval,
});

describe(PublishingGate.name, () => {
  // The place's approval policy holds new content and edits alike; moderators are never held.
  const table: Array<{
    who: string;
    author: { role: Role } | 'guest';
    isNew: boolean;
    approval: Approval;
    status: 'published' | 'pending';
    policy: 'all' | 'new_member' | 'guest' | null;
  }> = [
    { who: 'member', author: { role: 'member' }, isNew: false, approval: 'none', status: 'published', policy: null },
    { who: 'new member', author: { role: 'member' }, isNew: true, approval: 'none', status: 'published', policy: null },
    {
      who: 'member',
      author: { role: 'member' },
      isNew: false,
      approval: 'new_members',
      status: 'published',
      policy: null,
    },
    {
      who: 'new member',
      author: { role: 'member' },
      isNew: true,
      approval: 'new_members',
      status: 'pending',
      policy: 'new_member',
    },
    { who: 'guest', author: 'guest', isNew: true, approval: 'new_members', status: 'pending', policy: 'guest' },
    { who: 'member', author: { role: 'member' }, isNew: false, approval: 'all', status: 'pending', policy: 'all' },
    {
      who: 'moderator',
      author: { role: 'moderator' },
      isNew: false,
      approval: 'all',
      status: 'published',
      policy: null,
    },
    { who: 'admin', author: { role: 'admin' }, isNew: false, approval: 'all', status: 'published', policy: null },
  ];
  for (const action of ['create', 'edit'] as const) {
    it.each(table)(`${action} by a $who where approval is $approval: $status`, async (row) => {
      const { gate } = gateFor(row.isNew);
      const decision = await gate.decide(request(row.author, row.approval, action));
      expect(decision.status).toBe(row.status);
      expect(decision.reasons).toEqual(row.policy ? [{ code: 'approval', policy: row.policy }] : []);
    });
  }

  it("holds for the feature's own signals (spam), with them as reasons", async () => {
    const { gate } = gateFor(false);
    const decision = await gate.decide({
      ...request({ role: 'member' }, 'none', 'create'),
      signals: [{ code: 'spam', signal: 'links', count: 3 }],
    });
    expect(decision).toMatchObject({ status: 'pending', reasons: [{ code: 'spam', signal: 'links', count: 3 }] });
  });

  describe('record', () => {
    const m = {} as EntityManager;
    const target = { targetType: 'post' as const, targetId: '7', text: 'words' };

    it('writes nothing for content that is published and not flagged', async () => {
      const { gate } = gateFor(false);
      const recorded = await gate.record(m, target, { status: 'published', reasons: [], review: false });
      expect(recorded.itemId).toBeUndefined();
    });

    it('refuses to lose held content when no review sink is registered', async () => {
      const { gate } = gateFor(false);
      await expect(
        gate.record(m, target, { status: 'pending', reasons: [{ code: 'approval', policy: 'all' }], review: false }),
      ).rejects.toThrow(/review sink/);
    });

    it("records on the caller's transaction, and alerts moderators of crisis words only when announced", async () => {
      const { gate, emitted } = gateFor(false);
      const seen: Array<{ m: EntityManager; item: ReviewItem }> = [];
      const sink: ReviewSink = { record: (tx, item) => (seen.push({ m: tx, item }), Promise.resolve('42')) };
      gate.registerSink(sink);
      const recorded = await gate.record(m, target, {
        status: 'published',
        reasons: [{ code: 'crisis', ruleIds: ['3'] }],
        review: true,
        crisis: true,
      });
      expect(seen).toEqual([
        {
          m,
          item: {
            targetType: 'post',
            targetId: '7',
            held: false,
            crisis: true,
            reasons: [{ code: 'crisis', ruleIds: ['3'] }],
          },
        },
      ]);
      expect(emitted).toEqual([]);
      recorded.announce();
      expect(emitted).toEqual([
        {
          event: 'moderation.alert',
          payload: { kind: 'crisis', itemId: '42', targetType: 'post', targetId: '7', excerpt: 'words' },
        },
      ]);
    });
  });
});
