import { SetMetadata } from '@nestjs/common';

export const COST_KEY = 'haven:request-cost';

/** What most requests cost from the client's per-minute budget. */
export const DEFAULT_COST = 1;

/** Heavy routes, in ordinary requests: what each costs from the same budget. */
export const COSTS = {
  /** Forms that render Markdown on every send (preview or post). */
  markdown: 10,
  search: 5,
  signIn: 10,
  register: 20,
} as const;

/**
 * How much of the client's one request budget (RequestBudget) a route spends: 0 for free routes such as health,
 * more than 1 for heavy ones. Routes without it cost {@link DEFAULT_COST}.
 */
export const Cost = (units: number) => SetMetadata(COST_KEY, units);
