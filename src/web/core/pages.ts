import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserPrincipal } from '../../auth/auth.service';
import type { Principal } from '../../common/auth/principal';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { type CrisisSupport, CrisisLines } from '../site/crisis-lines';
import { Assets, type PageAssets } from './assets';
import { type PageTemplate, RawDocument, Redirect, View, type ViewOptions } from './page-result';
import { clearCookie, readCookie, setCookie } from './cookies';
import { Csrf } from './csrf';
import { ModeratorPresence } from './moderator-presence';
import { readerZone, type ZoneClock } from './dates';
import { safeLocalPath } from './safe-path';
import { Templates } from './templates';

const FLASH_COOKIE = 'haven_flash';
/** Where the flash belongs (PageContext.flashAt), beside it. */
const FLASH_AT_COOKIE = 'haven_flash_at';

export type PageOptions = ViewOptions;

/** What every template sees as `it.page`, besides its own data. */
export interface PageContext {
  title: string;
  description?: string;
  user?: { id: string; username: string; displayName: string; role: string; isModerator: boolean };
  sanction?: Principal['sanction'];
  csrf: string;
  crisisText: string;
  /** The crisis banner's lines for this reader (her country's, else the generic words). */
  support: CrisisSupport;
  path: string;
  flash?: string;
  /** Admins only: first posts wait for review and nobody holds the moderator role (layout's notice). */
  noModerator?: boolean;
  /**
   * Where the flash belongs: the fragment of the address it was sent to (`/settings#profile-saved`). A form's page
   * shows it beside that form (views/partials/flash.eta, whose id is the fragment, so the page lands on it); when no
   * part of the page takes it, the layout shows it at the top of the page as usual.
   */
  flashAt?: string;
  /** Set by views/partials/flash.eta once it showed the flash beside its form (the layout then does not). */
  flashShown?: boolean;
  /** Unread notifications, for the header's badge (0 for guests). */
  unread: number;
  /** Conversations with messages she has not read, for the header's Messages badge (0 for guests). */
  unreadConversations: number;
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
  private readonly templates: Templates;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly csrf: Csrf,
    private readonly moderators: ModeratorPresence,
    private readonly crisisLines: CrisisLines,
  ) {
    this.templates = new Templates(config.nodeEnv !== 'development');
  }

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
    const model = this.prepare(request, reply, title, data, options);
    const page = model.page as PageContext;
    if (page.user?.role === 'admin') page.noModerator = await this.moderators.missing();
    void reply.type('text/html; charset=utf-8').send(this.templates.page(template, model));
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
      support: this.crisisLines.for(request),
      path: request.url,
      ...this.takeFlash(request, reply),
      noindex: options.noindex ?? principal !== undefined,
      assets: this.assets.forPage(islandsFor(principal, options.islands ?? [])),
      unread: (principal as Partial<BrowserPrincipal> | undefined)?.unreadNotifications ?? 0,
      unreadConversations: principal ? unreadConversationsOf(principal) : 0,
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
      .header('Vary', 'Cookie, Accept-Language');
    return { ...data, page };
  }

  /**
   * Post, then redirect: the next page shows this one line ("Your reply is posted"), beside the form that the
   * address's fragment names when the page has a place for it there (see PageContext.flashAt).
   */
  redirect(request: FastifyRequest, reply: FastifyReply, to: string, flash?: string): void {
    const target = safeLocalPath(to);
    if (flash) {
      setCookie(request, reply, FLASH_COOKIE, flash.slice(0, 300), { maxAgeSeconds: 60 });
      const at = /#([A-Za-z][\w-]{0,63})$/.exec(target)?.[1];
      if (at) setCookie(request, reply, FLASH_AT_COOKIE, at, { maxAgeSeconds: 60 });
    }
    void reply.redirect(target, 303);
  }

  private takeFlash(request: FastifyRequest, reply: FastifyReply): { flash?: string; flashAt?: string } {
    const flash = readCookie(request, FLASH_COOKIE);
    if (flash === undefined) return {};
    clearCookie(request, reply, FLASH_COOKIE);
    const flashAt = readCookie(request, FLASH_AT_COOKIE);
    if (flashAt !== undefined) clearCookie(request, reply, FLASH_AT_COOKIE);
    return { flash: flash || undefined, flashAt: flashAt || undefined };
  }
}

export { safeLocalPath };

/**
 * The islands a page loads: its own, and for moderators on every page the notifications island, which shows a live
 * alert when a crisis item reaches the queue (members and guests load only what the page names, so reading stays 0 KB).
 */
function islandsFor(principal: Principal | undefined, islands: readonly string[]): readonly string[] {
  if (!principal || principal.role === 'member' || islands.includes('notifications')) return islands;
  return [...islands, 'notifications'];
}

/**
 * The header's Messages badge is read with her session, before the page runs: a page that has just marked one of
 * her conversations read (the conversation page) takes it off the count it will show.
 */
/** Her conversations with unread messages, as read with her browser session (HeaderCounts). */
export function unreadConversationsOf(principal: Principal): number {
  return (principal as Partial<BrowserPrincipal>).unreadConversations ?? 0;
}

export function conversationReadInHeader(principal: Principal): void {
  const browser = principal as Partial<BrowserPrincipal>;
  if (browser.unreadConversations) browser.unreadConversations -= 1;
}
