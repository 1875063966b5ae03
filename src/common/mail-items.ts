/**
 * A piece of published content as mail shows it (a new reply, thread or comment; a new article): what the owning
 * feature answers to the features that send mail about it. Paths are site-relative; the sender makes them absolute.
 */
export interface MailItem {
  id: string;
  /** Where it was published: a thread (replies), a category (new threads), a page (comments), none (new pages). */
  target: { type: 'thread' | 'category' | 'page' | 'newsletter'; id: string };
  /** The place's title: the thread's, the category's, the article's. */
  place: string;
  title: string;
  path: string;
  /** Null for anonymous content and guests: nothing links it to a member (so blocks never reveal an author). */
  authorId: string | null;
  /** "Anonymous member" for anonymous content: never the author's name. */
  authorName: string;
  excerpt: string;
  at: Date;
}

/** A place a subscription follows, as lists show it. */
export interface PlaceSummary {
  id: string;
  /** How clients name it: a page key, a category slug, a thread id. */
  key: string;
  title: string;
  path: string;
}
