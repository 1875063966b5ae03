/** What a mailed account link does, and how long it works (the contract: verification 24 h, reset 1 h). */
export const ACCOUNT_TOKEN_TTL_SECONDS = {
  verify: 24 * 3600,
  reset: 3600,
  email_change: 24 * 3600,
  email_undo: 7 * 24 * 3600,
} as const;

export type AccountTokenPurpose = keyof typeof ACCOUNT_TOKEN_TTL_SECONDS;
