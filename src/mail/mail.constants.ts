/**
 * What a mail is, which decides its headers and whether a member can stop it:
 * - `account`: the direct answer to the member's own action (a confirmation link, a reset link): no unsubscribe;
 * - `notice`: about the account but caused by someone else (a sign-up tried with the address, an address changed);
 * - `notification`, `digest`, `subscription`: what a member or guest asked to receive.
 * Every kind but `account` carries a one-click unsubscribe (RFC 8058).
 */
export const MAIL_KINDS = ['account', 'notice', 'notification', 'digest', 'subscription'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** `queued` → `sending` (claimed by one worker) → `sent` (SMTP accepted it) or `kept` (local outbox, no SMTP);
 * `bounced` (permanent SMTP refusal), `suppressed` (the address stopped all mail), `failed` (out of retries). */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'kept', 'bounced', 'suppressed', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** `all`: nothing more goes to the address (a hard bounce); `notice`: no more notices caused by others. */
export const SUPPRESSION_SCOPES = ['all', 'notice'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

export const MAIL_QUEUE = 'mail.send';
