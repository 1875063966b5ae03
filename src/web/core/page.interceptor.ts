import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mergeMap, type Observable } from 'rxjs';
import { PAGE_KEY, type PageDefaults } from './page.decorator';
import { Redirect, View } from './page-result';
import { Pages } from './pages';

/**
 * Shows what a page handler returned. A View becomes the data of the `@Page()` template in the site's layout
 * (Pages.prepare: crisis banner, who is signed in, the form token, flash, islands, private caching), which Nest's
 * `@Render()` then renders. A Redirect goes to the web exception filter, which sends the 303 (Nest would render the
 * template after any interceptor, so the redirect cannot be sent from here).
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly pages: Pages,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const defaults = this.reflector.get<PageDefaults | undefined>(PAGE_KEY, context.getHandler());
    const http = context.switchToHttp();
    return next.handle().pipe(
      mergeMap((result: unknown) => {
        if (result instanceof Redirect) throw result;
        if (!(result instanceof View)) return [result];
        if (!defaults)
          throw new Error(`${context.getClass().name}.${context.getHandler().name} returned a View without @Page()`);
        const request = http.getRequest<FastifyRequest>();
        const reply = http.getResponse<FastifyReply>();
        const options = { ...defaults, ...result.options };
        if (options.retryAfterSeconds !== undefined)
          void reply.header('Retry-After', String(options.retryAfterSeconds));
        return [this.pages.prepare(request, reply, result.title, result.model, options)];
      }),
    );
  }
}
