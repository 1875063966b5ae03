import { view } from '../core/page-result';

/** A mailed link's page: a few sentences, and a button that POSTs the token (mail scanners follow GETs). */
export interface LinkPage {
  heading: string;
  paragraphs: string[];
  action?: { path: string; token: string; label: string };
  links?: Array<{ href: string; label: string }>;
}

/** The page for a link that is expired, used or mistyped (400): what to do instead, kindly. */
export function deadLink(again: string, label: string) {
  const page: LinkPage = {
    heading: 'This link no longer works',
    paragraphs: [
      'Links in our mail work once, and only for a while. This one has expired or was already used.',
      'Nothing has changed. You can ask for a new one.',
    ],
    links: [{ href: again, label }],
  };
  return view(page.heading, page, { status: 400 });
}
