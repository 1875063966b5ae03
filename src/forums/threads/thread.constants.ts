/** The vocabulary of thread rows, kept apart from the entity class: the content policy's states. */
export { CONTENT_STATUSES, type ContentStatus } from '../../publishing/content-policy';
