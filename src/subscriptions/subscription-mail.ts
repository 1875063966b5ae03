import type { MailItem } from '../common/mail-items';
import type { MailContent } from '../mail/mail-content';
import type { Frequency } from './subscription.constants';

export const FREQUENCY_WORDS: Record<Frequency, string> = {
  immediately: 'immediate',
  daily: 'daily',
  weekly: 'weekly',
};

const WHEN: Record<Frequency, string> = {
  immediately: 'each time something new is posted',
  daily: 'once a day, at 8 in the morning',
  weekly: 'once a week, on Monday at 8 in the morning',
};

/** The double opt-in mail: nothing else goes to the address until its link is followed. */
export function confirmationMail(publicUrl: string, token: string, title: string, frequency: Frequency): MailContent {
  return {
    subject: `Please confirm: email updates about “${title}”`,
    greeting: 'Hello,',
    paragraphs: [
      `Someone, we hope you, asked for email updates about “${title}” on Haven, ${WHEN[frequency]}.`,
      'Nothing will be sent until you confirm.',
    ],
    action: { label: 'Yes, send me updates', url: `${publicUrl}/subscriptions/confirm/${token}` },
    after: [
      'If this was not you, you can ignore this email. You will not hear from us about it again.',
      'The link works for 7 days.',
    ],
  };
}

const NEW_WORDS: Record<MailItem['target']['type'], (place: string) => string> = {
  thread: (place) => `A new reply in “${place}”`,
  category: (place) => `A new conversation in “${place}”`,
  page: (place) => `A new comment on “${place}”`,
  newsletter: () => 'A new article on Haven',
};

/** One new item, sent at once. */
export function newItemMail(publicUrl: string, item: MailItem): MailContent {
  return {
    subject: NEW_WORDS[item.target.type](item.place),
    paragraphs: [`${item.authorName} wrote:`],
    items: [{ title: item.title, url: `${publicUrl}${item.path}`, lines: item.excerpt ? [item.excerpt] : [] }],
    action: { label: 'Read it on Haven', url: `${publicUrl}${item.path}` },
    after: [
      `You get this because you asked for email updates about “${item.place}”, each time something new is posted.`,
    ],
  };
}

/** Shown in one digest at most; the rest are counted. */
export const DIGEST_ITEMS = 20;

/** A daily or weekly digest of a place. */
export function digestMail(
  publicUrl: string,
  frequency: 'daily' | 'weekly',
  place: { title: string; path: string },
  items: MailItem[],
  more: boolean,
): MailContent {
  const since = frequency === 'daily' ? 'the last day' : 'the last week';
  return {
    subject: `Your ${frequency} digest: “${place.title}”`,
    paragraphs: [`Here is what is new about “${place.title}” in ${since}.`],
    items: items.slice(0, DIGEST_ITEMS).map((i) => ({
      title: i.title,
      url: `${publicUrl}${i.path}`,
      lines: [i.target.type === 'newsletter' ? '' : `${i.authorName}: ${i.excerpt}`].filter(Boolean),
    })),
    action: { label: more ? 'See everything on Haven' : 'Visit Haven', url: `${publicUrl}${place.path}` },
    after: [`You get this because you asked for a ${frequency} digest about “${place.title}”.`],
  };
}
