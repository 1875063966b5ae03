/** How long an archive can be downloaded, and how long a deletion waits for a change of mind. */
export const EXPORT_DAYS = 7;
export const GRACE_DAYS = 7;
export const DAY_MS = 86_400_000;

export const EXPORT_QUEUE = 'account.export';
export const DELETION_QUEUE = 'account.delete';
/** Rows read per query while an archive is built. */
export const EXPORT_BATCH = 500;
/** How often each process looks for deletions that are due and archives that expired (a job could be lost). */
export const SWEEP_MS = 3_600_000;

export type ExportState = 'none' | 'building' | 'ready' | 'expired';
