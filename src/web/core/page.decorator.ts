import { Inject, Req, Res, SetMetadata } from '@nestjs/common';
import { PATH_METADATA, RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageDefaults, PageTemplate } from './page-result';
import { Pages } from './pages';

export const PAGE_KEY = 'haven:web-page';

/**
 * The template a page handler's View is rendered with (views/<template>.eta, in the site's one layout), by
 * Pages.show (see ShowsPages). A handler that only redirects needs no `@Page()`.
 */
export function Page(template: string, defaults: PageDefaults = {}): MethodDecorator {
  return SetMetadata<string, PageTemplate>(PAGE_KEY, { template, defaults });
}

/** Where a web controller keeps the Pages that shows its handlers' results (injected as a property). */
const PAGES = 'webPages';

/**
 * Makes every route handler of a web controller show what it returns (Pages.show: a View in its `@Page()`
 * template, a Redirect as a 303, other data as JSON), once the handler's promise settles; what it throws goes to the
 * controller's exception filter as before.
 *
 * Each handler is wrapped in place: the wrapper also asks Nest for the request and the reply (two arguments after
 * the handler's own) and always finishes the reply itself. This is a plain async call rather than a Nest
 * interceptor: an interceptor's rxjs chain and async-context bindings cost a thread page view about as much as
 * rendering its template (bench/web-thread.mjs). A handler called by another handler (`this.show(...)`) is called
 * without those two arguments and simply returns its result.
 */
export function ShowsPages(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    Inject(Pages)(prototype, PAGES);
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, key)?.value;
      if (key === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler))
        continue;
      prototype[key] = showing(target, key, handler as (...args: unknown[]) => unknown);
    }
  };
}

function showing(target: object, key: string, handler: (...args: unknown[]) => unknown) {
  const own = declaredArguments(target, key, handler);
  const page = Reflect.getMetadata(PAGE_KEY, handler) as PageTemplate | undefined;
  const name = `${(target as { name: string }).name}.${key}`;
  const wrapper = async function (this: { [PAGES]: Pages }, ...args: unknown[]): Promise<unknown> {
    if (args.length < own + 2) return handler.apply(this, args);
    const [request, reply] = args.splice(own, 2) as [FastifyRequest, FastifyReply];
    const result = await handler.apply(this, args);
    await this[PAGES].show(request, reply, result, page, name);
    return undefined;
  };
  for (const metadataKey of Reflect.getOwnMetadataKeys(handler))
    Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, handler), wrapper);
  Object.defineProperty(wrapper, 'name', { value: handler.name });
  const prototype = (target as { prototype: object }).prototype;
  Req()(prototype, key, own);
  Res()(prototype, key, own + 1);
  // The wrapper sends every answer, so Nest sends none (a handler's own `@Res({ passthrough: true })` still sets
  // cookies on the same reply).
  Reflect.defineMetadata(RESPONSE_PASSTHROUGH_METADATA, false, target, key);
  return wrapper;
}

/** How many arguments the handler itself takes (its parameters, decorated or typed), before the wrapper's two. */
function declaredArguments(target: object, key: string, handler: (...args: unknown[]) => unknown): number {
  const routeArgs = (Reflect.getMetadata(ROUTE_ARGS_METADATA, target, key) ?? {}) as Record<string, unknown>;
  const types = (Reflect.getMetadata('design:paramtypes', (target as { prototype: object }).prototype, key) ??
    []) as unknown[];
  const indexes = Object.keys(routeArgs).map((k) => Number(k.slice(k.lastIndexOf(':') + 1)) + 1);
  return Math.max(handler.length, types.length, ...indexes);
}
