/**
 * What a member may choose for each kind of mail: replies to her, mentions of her, moderation outcomes about her
 * content, and the digest of what she subscribed to. Kept apart from the entity so other features may import it.
 */
export const EMAIL_PREFERENCE_KINDS = ['replies', 'mentions', 'moderation', 'digest'] as const;
export type EmailPreferenceKind = (typeof EMAIL_PREFERENCE_KINDS)[number];

export const EMAIL_FREQUENCIES = ['off', 'immediately', 'daily', 'weekly'] as const;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

export type EmailPreferences = Record<EmailPreferenceKind, EmailFrequency>;

/**
 * Until a member chooses: a mail as soon as someone answers or names her, or a moderator acts on her words (she
 * should never learn that from a silent page), and her subscriptions gathered once a day rather than one mail each.
 * The database's column defaults say the same (see the entity).
 */
export const DEFAULT_EMAIL_PREFERENCES: Readonly<EmailPreferences> = {
  replies: 'immediately',
  mentions: 'immediately',
  moderation: 'immediately',
  digest: 'daily',
};

export const isEmailPreferenceKind = (value: string): value is EmailPreferenceKind =>
  (EMAIL_PREFERENCE_KINDS as readonly string[]).includes(value);
