import { applyDecorators, Render, SetMetadata } from '@nestjs/common';
import type { ViewOptions } from './page-result';

export const PAGE_KEY = 'haven:web-page';

/** What `@Page()` says about a page: the defaults for what its handler's View does not say. */
export type PageDefaults = Omit<ViewOptions, 'status' | 'retryAfterSeconds'>;

/**
 * The template a page handler's View is rendered with (views/<template>.eta, in the site's one layout): Nest's own
 * `@Render()`, whose data the PageInterceptor makes from the returned View. A handler that only redirects needs no
 * `@Page()`.
 */
export function Page(template: string, defaults: PageDefaults = {}): MethodDecorator {
  return applyDecorators(Render(template), SetMetadata(PAGE_KEY, defaults));
}
