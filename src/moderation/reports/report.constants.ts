/** The vocabulary of report rows, kept apart from the entity class so other modules may import it. */
export const REPORT_REASONS = ['spam', 'abuse', 'misinformation', 'self_harm', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_TARGETS = ['post', 'thread', 'comment', 'chat_message', 'conversation_message', 'user'] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];
/** Report targets that live in private conversations: a report brings the messages around it into the queue. */
export const PRIVATE_TARGETS: readonly ReportTarget[] = ['conversation_message'];
