import type { Principal } from '../../common/auth/principal';
import type { Role } from '../../common/auth/role';
import { EDIT_WINDOW_MS, editRefusal } from './edit-rules';

const who = (id: string, role: Role): Principal => ({
  id,
  username: `u${id}`,
  displayName: `U ${id}`,
  role,
  sessionId: 's',
});

describe('editRefusal', () => {
  const now = Date.parse('2030-01-10T12:00:00Z');
  const fresh = new Date(now - 60_000);
  const old = new Date(now - EDIT_WINDOW_MS - 1);

  it.each([
    ['the author, in the window', who('1', 'member'), fresh, undefined],
    ['the author, at the end of the window', who('1', 'member'), new Date(now - EDIT_WINDOW_MS), undefined],
    ['the author, after the window', who('1', 'member'), old, 'Posts can be edited for 24 hours'],
    ['another member', who('2', 'member'), fresh, 'Only the author or a moderator'],
    ['a moderator, after the window', who('3', 'moderator'), old, undefined],
    ['an admin, on anyone', who('4', 'admin'), old, undefined],
  ])('%s', (_name, editor, createdAt, refused) => {
    const refusal = editRefusal({ authorId: '1', createdAt }, editor, now, 'post');
    if (refused === undefined) expect(refusal).toBeUndefined();
    else expect(refusal?.message).toContain(refused);
    if (refusal) expect(refusal.code).toBe('forbidden');
  });

  it('words a title refusal as a title', () => {
    expect(editRefusal({ authorId: '1', createdAt: old }, who('1', 'member'), now, 'title')?.message).toContain(
      'Titles can be changed for 24 hours',
    );
  });
});
