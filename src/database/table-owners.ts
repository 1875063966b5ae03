/**
 * One owner per table (docs/developing.md, Layout): the feature folder whose data layer alone writes the table. Other
 * features ask the owner (a service, an interface it registers, or a typed event), never the table;
 * src/database/table-owners.spec.ts holds every file to this map, with its short list of accepted reads.
 */
export const TABLE_OWNERS = {
  users: 'users',
  user_blocks: 'users',
  sessions: 'auth',
  refresh_tokens: 'auth',
  account_tokens: 'auth',
  setup_tokens: 'auth',
  captcha_challenges: 'captcha',
  categories: 'forums',
  threads: 'forums',
  posts: 'forums',
  post_reactions: 'forums',
  post_revisions: 'forums',
  thread_subscriptions: 'forums',
  thread_reads: 'forums',
  pages: 'comments',
  comments: 'comments',
  page_ratings: 'comments',
  comment_revisions: 'comments',
  chat_rooms: 'chat',
  chat_messages: 'chat',
  chat_restrictions: 'chat',
  reports: 'moderation',
  moderation_items: 'moderation',
  sanctions: 'moderation',
  watched_words: 'moderation',
  audit_log: 'moderation',
  notifications: 'notifications',
  mail_messages: 'mail',
  mail_suppressions: 'mail',
  subscriptions: 'subscriptions',
  subscription_activity: 'subscriptions',
  email_preferences: 'email-preferences',
  account_exports: 'account',
  account_deletions: 'account',
  articles: 'library',
  site_pages: 'library',
  support_lines: 'library',
  member_stories: 'stories',
} as const satisfies Record<string, string>;

export type OwnedTable = keyof typeof TABLE_OWNERS;
