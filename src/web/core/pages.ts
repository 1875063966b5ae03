import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserPrincipal } from '../../auth/auth.service';
import type { Principal } from '../../common/auth/principal';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { Assets, type PageAssets } from './assets';
import { type PageTemplate, RawDocument, Redirect, View, type ViewOptions } from './page-result';
import { clearCookie, readCookie, setCookie } from './cookies';
import { Csrf } from './csrf';
import { readerZone, type ZoneClock } from './dates';
import { safeLocalPath } from './safe-path';

const FLASH_COOKIE = 'haven_flash';

export type PageOptions = ViewOptions;

/** What every template sees as `it.page`, besides its own data. */
export interface PageContext {
  title: string;
  description?: string;
  user?: { id: string; username: string; displayName: string; role: string; isModerator: boolean };
  sanction?: Principal['sanction'];
  csrf: string;
  crisisText: string;
  path: string;
  flash?: string;
  /** Unread notifications, for the header's badge (0 for guests). */
  unread: number;
  noindex: boolean;
  assets: PageAssets;
  year: number;
  /** The reader's clock: every time on the page is written in it, named ("18:00 UTC", "13:00 New York time"). */
  zone: ZoneClock;
}

/**
 * Renders a page in the site's layout: the crisis banner, the skip link, who is signed in, the form token, the
 * stylesheet and only the islands the page asks for. Pages are private to their reader (Cache-Control).
 */
@Injectable()
export class Pages {
  private readonly assets = new Assets();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly csrf: Csrf,
  ) {}

  /**
   * Shows what a page handler returned (see ShowsPages): a View in its `@Page()` template, with the template's
   * defaults for what the View does not say; a Redirect as the 303 it asks for. Anything else (the chat socket's
   * token) is sent as it is, as Nest would send it: JSON.
   */
  async show(
    request: FastifyRequest,
    reply: FastifyReply,
    result: unknown,
    page: PageTemplate | undefined,
    handler: string,
  ): Promise<void> {
    if (result instanceof RawDocument) {
      void reply.headers(result.headers).type(result.contentType);
      return void reply.send(result.body);
    }
    if (result instanceof Redirect) return this.redirect(request, reply, result.to, result.flash);
    if (!(result instanceof View)) return void reply.send(result);
    if (!page) throw new Error(`${handler} returned a View without @Page()`);
    const options = { ...page.defaults, ...result.options };
    await this.render(request, reply, page.template, result.title, result.model, options);
  }

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    data: object = {},
    options: PageOptions = {},
  ): Promise<void> {
    await reply.view(template, this.prepare(request, reply, title, data, options));
  }

  /**
   * A template's data in the layout: its own `data` and `it.page`. Sets the status and the caching headers, and
   * takes the flash line.
   */
  prepare(
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    data: object = {},
    options: PageOptions = {},
  ): Record<string, unknown> {
    const principal = (request as { principal?: Principal }).principal;
    const page: PageContext = {
      title,
      description: options.description,
      user: principal && {
        id: principal.id,
        username: principal.username,
        displayName: principal.displayName,
        role: principal.role,
        isModerator: principal.role !== 'member',
      },
      sanction: principal?.sanction,
      csrf: '',
      crisisText: this.config.moderation.crisisSupportText,
      path: request.url,
      flash: this.takeFlash(request, reply),
      noindex: options.noindex ?? principal !== undefined,
      assets: this.assets.forPage(options.islands ?? []),
      unread: (principal as Partial<BrowserPrincipal> | undefined)?.unreadNotifications ?? 0,
      year: new Date().getFullYear(),
      zone: readerZone(principal),
    };
    // The form token is made when a template first asks for it: a guest reading a page without a form gets no
    // visitor cookie and costs no HMAC.
    let csrf: string | undefined;
    Object.defineProperty(page, 'csrf', {
      enumerable: true,
      get: () => (csrf ??= this.csrf.tokenFor(request, reply, principal)),
    });
    if (options.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(options.retryAfterSeconds));
    void reply
      .status(options.status ?? 200)
      .header('Cache-Control', 'private, no-cache')
      .header('Vary', 'Cookie');
    return { ...data, page };
  }

  /** Post, then redirect: the next page shows this one line ("Your reply is posted"). */
  redirect(request: FastifyRequest, reply: FastifyReply, to: string, flash?: string): void {
    if (flash) setCookie(request, reply, FLASH_COOKIE, flash.slice(0, 300), { maxAgeSeconds: 60 });
    void reply.redirect(safeLocalPath(to), 303);
  }

  private takeFlash(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const flash = readCookie(request, FLASH_COOKIE);
    if (flash === undefined) return undefined;
    clearCookie(request, reply, FLASH_COOKIE);
    return flash || undefined;
  }
}

export { safeLocalPath };
