/** The vocabulary of chat-message rows, kept apart from the entity class: the content policy's states. */
import { CONTENT_STATUSES, type ContentStatus } from '../../publishing/content-policy';

export const MESSAGE_STATUSES = CONTENT_STATUSES;
export type MessageStatus = ContentStatus;
