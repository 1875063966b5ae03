import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Intent as IntentName } from './sanction-policy';

export const INTENT_KEY = 'haven:intent';

/**
 * What a route means to do, for the sanction policy, when its method does not say it: `@Intent('sign-out')` on the
 * sign-out routes, `@Intent('read')` on a POST that only fetches (the chat page's socket token).
 */
export const Intent = (intent: IntentName) => SetMetadata(INTENT_KEY, intent);

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The route's declared intent, else `read` for GET/HEAD/OPTIONS and `write` for anything else. */
export function intentOf(reflector: Reflector, context: ExecutionContext, method: string): IntentName {
  const declared = reflector.getAllAndOverride<IntentName | undefined>(INTENT_KEY, [
    context.getHandler(),
    context.getClass(),
  ]);
  return declared ?? (READING.has(method) ? 'read' : 'write');
}
