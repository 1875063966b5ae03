/**
 * Where a member goes after posting, and the one line they read there. Held posts are explained kindly; a post that
 * matched crisis words brings them to a page that shows the support lines first (`?support=1`).
 */
export function afterPosting(
  to: string,
  created: { status: string; notice?: string },
  what: 'thread' | 'reply',
): { to: string; flash: string } {
  if (created.notice) {
    const [path, hash] = to.split('#');
    return {
      to: `${path}${path.includes('?') ? '&' : '?'}support=1${hash ? `#${hash}` : ''}`,
      flash:
        created.status === 'pending'
          ? `Thank you for writing. Your ${what} is with a moderator, and we have put some support for you below.`
          : `Your ${what} is posted. Thank you for sharing; we have put some support for you below.`,
    };
  }
  if (created.status === 'pending') {
    return {
      to,
      flash: `Thank you. Your ${what} is waiting for a moderator, who reads new posts soon; until then only you can see it.`,
    };
  }
  return { to, flash: what === 'thread' ? 'Your thread is posted.' : 'Your reply is posted.' };
}
